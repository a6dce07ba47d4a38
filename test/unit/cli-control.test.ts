import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { K3OSConfig } from '../../src/config/index.ts';
import { main } from '../../src/cli/cli.ts';
import { createControlServer, type ControlServer } from '../../src/init/control/server.ts';

describe('k3os status / k3os apply', () => {
  const dir = mkdtempSync(join(tmpdir(), 'k3os-cli-'));
  const socket = join(dir, 'init.sock');
  const applied: K3OSConfig[] = [];
  let server: ControlServer;
  before(async () => {
    server = createControlServer({
      status: () => ({ hostname: 'node-1', mode: 'disk', bootId: 'b1', kernel: '6.1.0', os: { name: 'k3OS-ts 0.1.0', version: '0.1.0' }, k3s: { state: 'running', version: 'v1.32.5+k3s1', pid: 7 }, uptimeMs: 61_000,
        pendingReboot: { rebootRequired: true, rebootKeys: ['k3os.install'], reasons: ['k3os.install: install settings are read when the node installs'] } }),
      effectiveConfig: () => ({}),
      applyConfig: (c) => { applied.push(c); return { applied: ['hostname'], failed: c.k3os?.modules ? [{ key: 'k3os.modules', error: 'ENOENT: no module nope' }] : [], rebootRequired: false }; },
      power: () => {}, logs: () => [],
    }, { socketPath: socket });
    await server.start();
  });
  after(() => server.stop());

  const run = async (argv: string[]) => {
    let out = ''; let err = '';
    const code = await main(argv, { out: (t) => { out += t; }, err: (t) => { err += t; }, applyContext: () => { throw new Error('unused'); } });
    return { code, out, err };
  };

  it('status prints the node summary, or JSON with --json', async () => {
    const r = await run(['status', '--socket', socket]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^hostname: node-1$/m);
    assert.match(r.out, /^k3s:\s+running v1\.32\.5\+k3s1 pid 7$/m);
    assert.match(r.out, /^reboot:\s+required for k3os\.install\n\s{10}k3os\.install: install settings are read when the node installs$/m);
    const j = await run(['status', '--json', `--socket=${socket}`]);
    assert.equal(JSON.parse(j.out).mode, 'disk');
  });

  it('apply -f sends the normalised config (k3OS spellings accepted)', async () => {
    const f = join(dir, 'c.yaml');
    writeFileSync(f, 'hostname: node-9\nk3os:\n  sysctl:\n    vm.swappiness: 10\n');
    const r = await run(['apply', '-f', f, '--socket', socket]);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out, 'applied: hostname\n');
    assert.deepEqual(applied.at(-1), { hostname: 'node-9', k3os: { sysctls: { 'vm.swappiness': '10' } } });
  });

  it('apply reports partial failures with exit 1', async () => {
    const f = join(dir, 'm.yaml');
    writeFileSync(f, 'k3os:\n  modules: [nope]\n');
    const r = await run(['apply', '-f', f, '--socket', socket]);
    assert.equal(r.code, 1);
    assert.match(r.err, /failed: k3os.modules: ENOENT/);
  });

  it('apply of an invalid file names file, line and key, and sends nothing', async () => {
    const f = join(dir, 'bad.yaml');
    writeFileSync(f, 'k3os:\n  console_log_level: 12\n');
    const before = applied.length;
    const r = await run(['apply', '-f', f, '--socket', socket]);
    assert.equal(r.code, 1);
    assert.match(r.err, new RegExp(`${f.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:2:\\d+: error: k3os.console_log_level:`));
    assert.equal(applied.length, before);
  });

  it('usage errors exit 2', async () => {
    const r = await run(['apply', '--socket', socket]);
    assert.equal(r.code, 2);
    assert.match(r.err, /apply needs -f FILE/);
    assert.match(r.err, /usage: k3os status/);
  });
});
