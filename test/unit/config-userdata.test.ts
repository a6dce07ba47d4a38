import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classifyUserdata, loadConfig, USERDATA_SCRIPT_PATH } from '../../src/config/index.ts';

const ud = (bytes: Buffer) => loadConfig([{ kind: 'userdata', name: '/run/config/userdata', bytes }]);

describe('userdata', () => {
  it('a #! script becomes a 0700 write_file plus a run_cmd', () => {
    const script = '#!/bin/sh\necho hi > /tmp/x\n';
    const r = ud(Buffer.from(script));
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.config.write_files, [{ path: USERDATA_SCRIPT_PATH, content: script, owner: 'root', permissions: '0700' }]);
    assert.deepEqual(r.config.run_cmd, [USERDATA_SCRIPT_PATH]);
  });
  it('binary (a NUL byte) becomes base64 content', () => {
    const bin = Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x00, 0xff, 0x01]);
    const r = ud(bin);
    assert.equal(r.config.write_files?.[0]?.encoding, 'b64');
    assert.deepEqual(Buffer.from(r.config.write_files![0]!.content!, 'base64'), bin);
    assert.deepEqual(r.config.run_cmd, [USERDATA_SCRIPT_PATH]);
  });
  it('anything else is YAML config, #cloud-config header included', () => {
    const r = ud(Buffer.from('#cloud-config\nhostname: from-userdata\n'));
    assert.equal(r.config.hostname, 'from-userdata');
    assert.equal(classifyUserdata(Buffer.from('hostname: x')).kind, 'yaml');
  });
  it('invalid YAML userdata is an error naming the userdata file', () => {
    const r = ud(Buffer.from('hostname: [unclosed\n'));
    assert.equal(r.errors[0]?.source, '/run/config/userdata');
    assert.equal(r.errors[0]?.code, 'K3OS_YAML_SYNTAX');
  });
});
