import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decideConfig, formatIssue, loadConfig } from '../../src/config/index.ts';

describe('config errors', () => {
  it('a wrong type names source, key path, line and column', () => {
    const r = loadConfig([{ name: '/var/lib/rancher/k3os/config.yaml', text: 'hostname: ok\nk3os:\n  labels:\n    - a\n' }]);
    assert.equal(r.errors.length, 1);
    const e = r.errors[0]!;
    assert.deepEqual([e.source, e.path, e.line, e.column], ['/var/lib/rancher/k3os/config.yaml', 'k3os.labels', 4, 5]);
    assert.equal(formatIssue(e), '/var/lib/rancher/k3os/config.yaml:4:5: error: k3os.labels: expected a map of strings, got a list [K3OS_INVALID_VALUE]');
    assert.equal(r.config.hostname, 'ok', 'the valid rest of the source still applies');
  });
  it('schema value errors point at the value inside lists', () => {
    const r = loadConfig([{ name: 'f.yaml', text: 'write_files:\n- path: /a\n  encoding: rot13\n- path: /b\n  permissions: "999"\n' }]);
    assert.deepEqual(r.errors.map((e) => [e.path, e.line, e.column]), [['write_files[0].encoding', 3, 13], ['write_files[1].permissions', 5, 16]]);
    assert.match(r.errors[0]!.message, /must be one of "", "b64"/);
  });
  it('a missing required field is reported and its item dropped', () => {
    const r = loadConfig([{ name: 'f.yaml', text: 'write_files:\n- content: x\n- path: /ok\n' }]);
    assert.equal(r.errors[0]?.path, 'write_files[0].path');
    assert.match(r.errors[0]!.message, /required/);
    assert.deepEqual(r.config.write_files, [{ path: '/ok' }]);
  });
  it('invalid YAML skips that source only', () => {
    const r = loadConfig([
      { name: 'a.yaml', text: 'hostname: a\nk3os: {token: t}\n' },
      { name: 'b.yaml', text: 'hostname: b\n  bad: [\n' },
      { name: 'c.yaml', text: 'run_cmd: [x]\n' },
    ]);
    assert.equal(r.errors.length, 1);
    assert.equal(r.errors[0]?.source, 'b.yaml');
    assert.equal(r.errors[0]?.code, 'K3OS_YAML_SYNTAX');
    assert.equal(typeof r.errors[0]?.line, 'number');
    assert.deepEqual(r.config, { hostname: 'a', k3os: { token: 't' }, run_cmd: ['x'] });
  });
  it('a document that is not a map is an error', () => {
    const r = loadConfig([{ name: 'l.yaml', text: '- a\n- b\n' }]);
    assert.equal(r.errors[0]?.code, 'K3OS_NOT_A_MAP');
  });
  it('unknown keys warn with the nearest known key, also across levels', () => {
    const r = loadConfig([{ name: 'w.yaml', text: 'hostnme: x\nk3os:\n  tokn: y\n  hostname: z\nwrite_files:\n- path: /a\n  enconding: ""\n' }]);
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.warnings.map((w) => [w.path, w.line, w.message]), [
      ['hostnme', 1, 'unknown key "hostnme", ignored; did you mean "hostname"?'],
      ['k3os.tokn', 3, 'unknown key "tokn", ignored; did you mean "k3os.token"?'],
      ['k3os.hostname', 4, 'unknown key "hostname", ignored; "hostname" is a top-level key'],
      ['write_files[0].enconding', 7, 'unknown key "enconding", ignored; did you mean "write_files[0].encoding"?'],
    ]);
    assert.ok(r.warnings.every((w) => w.code === 'K3OS_UNKNOWN_KEY'));
  });
  it('a top-level key that belongs under k3os says so', () => {
    const r = loadConfig([{ name: 'p.yaml', text: 'password: x\n' }]);
    assert.match(r.warnings[0]!.message, /did you mean "k3os.password"/);
  });
  it('network extension: addresses, gateways and routes are validated', () => {
    const r = loadConfig([{ name: 'n.yaml', text: [
      'k3os:', '  network:', '    interfaces:', '      eth0:',
      '        addresses: [10.0.0.5/24, "2001:db8::5/64", 10.0.0.6, 10.0.0.7/33]',
      '        gateway: 10.0.0.1', '        gateway6: 10.0.0.1',
      '        routes:', '        - {to: 192.168.0.0/16, via: 10.0.0.254, metric: 10}', '        - {to: default, via: nope}',
      '        mtu: 20', '        dns: [1.1.1.1, "2606:4700::1111"]', '',
    ].join('\n') }]);
    assert.deepEqual(r.errors.map((e) => [e.path, e.line]), [
      ['k3os.network.interfaces.eth0.addresses[2]', 5],
      ['k3os.network.interfaces.eth0.addresses[3]', 5],
      ['k3os.network.interfaces.eth0.gateway6', 7],
      ['k3os.network.interfaces.eth0.routes[1].via', 10],
      ['k3os.network.interfaces.eth0.mtu', 11],
    ]);
    assert.deepEqual(r.config.k3os?.network?.interfaces?.eth0, {
      addresses: ['10.0.0.5/24', '2001:db8::5/64'], gateway: '10.0.0.1',
      routes: [{ to: '192.168.0.0/16', via: '10.0.0.254', metric: 10 }], dns: ['1.1.1.1', '2606:4700::1111'],
    });
  });
  it('unreadable sources are errors that name the file', () => {
    const r = loadConfig([{ kind: 'unreadable', name: '/var/lib/rancher/k3os/config.yaml', reason: 'EACCES: permission denied' }]);
    assert.match(formatIssue(r.errors[0]!), /^\/var\/lib\/rancher\/k3os\/config.yaml: error: cannot read, source skipped: EACCES/);
  });
});

describe('last good config', () => {
  const good = loadConfig([{ name: 'a', text: 'hostname: good\n' }]);
  const bad = loadConfig([{ name: 'a', text: 'hostname: [x]\nk3os: {token: t}\n' }]);
  it('a clean load is applied and saved', () => {
    const d = decideConfig(good, { hostname: 'old' });
    assert.deepEqual([d.origin, d.save, d.config], ['loaded', true, { hostname: 'good' }]);
  });
  it('a load with errors falls back to the last good config and keeps the errors', () => {
    const d = decideConfig(bad, { hostname: 'old' });
    assert.deepEqual([d.origin, d.save, d.config], ['last-good', false, { hostname: 'old' }]);
    assert.equal(d.errors[0]?.path, 'hostname');
  });
  it('without a last good config the valid parts are used, and not saved', () => {
    const d = decideConfig(bad, undefined);
    assert.deepEqual([d.origin, d.save, d.config], ['loaded-with-errors', false, { k3os: { token: 't' } }]);
  });
});
