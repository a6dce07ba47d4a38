// The boot phase applied for real in namespaces: hostname (UTS), a sysctl
// (net.ipv4.ip_forward is per network namespace), write_files with mode and
// owner, /etc/environment, a boot_cmd through sys.spawn, the password hash.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { sha512Crypt } from '../../src/config/sha512-crypt.ts';

const SCRIPT = fileURLToPath(new URL('./apply-phase.run.ts', import.meta.url));
const ADDON = fileURLToPath(new URL('../../native/build/Release/k3os.node', import.meta.url));
const skip = process.getuid?.() !== 0 ? 'needs root' : !existsSync(ADDON) ? 'needs the addon (make addon)' : false;

describe('apply boot phase in namespaces', { skip }, () => {
  it('applies hostname, sysctl, write_files, environment, boot_cmd and password', () => {
    const before = hostname();
    const out = execFileSync('unshare', ['--mount', '--uts', '--net', process.execPath, SCRIPT], { encoding: 'utf8', timeout: 60_000 });
    const r = JSON.parse(out);
    assert.deepEqual(r.phaseErrors, []);
    assert.equal(r.loadErrors, 0);
    assert.equal(r.hostname, 'ns-node-1');
    assert.equal(r.etcHostname, 'ns-node-1\n');
    assert.equal(r.ipForward, '1');
    assert.deepEqual(r.file, { mode: 0o640, uid: 1000, gid: 1000, content: 'secret\n' });
    assert.equal(r.environment, 'K3OS_TEST_ENV="from-config"\n');
    assert.equal(r.bootCmd, 'spawned booted\n');
    const hash = r.shadow.split(':')[1];
    assert.equal(sha512Crypt('rancher', hash), hash);
    assert.equal(hostname(), before, 'the host keeps its hostname');
  });
});
