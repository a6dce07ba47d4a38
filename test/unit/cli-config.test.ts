import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parseArgs, UsageError } from '../../src/cli/args.ts';
import { main } from '../../src/cli/cli.ts';
import type { CliIO } from '../../src/cli/config-command.ts';
import { exitCode } from '../../src/cli/exit-code.ts';
import { recordingCtx, tempRoot } from './apply-helpers.ts';

const io = (root: string) => {
  const out: string[] = [];
  const err: string[] = [];
  const ctx = recordingCtx(root, { procDir: tempRoot() });
  const cli: CliIO = { out: (t) => out.push(t), err: (t) => err.push(t), applyContext: () => ctx };
  return { cli, out, err, ctx };
};

describe('k3os config arguments', () => {
  it('parses each action', () => {
    assert.deepEqual(parseArgs(['config', '--dump']), { command: 'config', action: 'dump', root: '/', files: [] });
    assert.deepEqual(parseArgs(['config', '--validate', 'a', 'b', '--root=/r']), { command: 'config', action: 'validate', root: '/r', files: ['a', 'b'] });
    assert.deepEqual(parseArgs(['config', '--root', '/x', '--boot']), { command: 'config', action: 'boot', root: '/x', files: [] });
    assert.deepEqual(parseArgs(['--help']), { command: 'help' });
  });
  for (const [argv, msg] of [
    [['config'], /needs one of/], [['config', '--dump', '--initrd'], /choose one of --dump, --initrd/],
    [['config', '--validate'], /at least one FILE/], [['config', '--dump', 'f'], /only --validate takes files/],
    [['config', '--frobnicate'], /unknown option/], [['nope'], /unknown command/], [['config', '--boot', '--root'], /--root needs/],
  ] as const) {
    it(`usage error: ${argv.join(' ')}`, () => assert.throws(() => parseArgs(argv), (e: Error) => e instanceof UsageError && msg.test(e.message)));
  }
  it('exit codes: 0 ok, 1 invalid/failed/error, 2 usage', () => {
    assert.deepEqual([exitCode('ok'), exitCode('invalid'), exitCode('failed'), exitCode(new Error('x')), exitCode(new UsageError('u'))], [0, 1, 1, 1, 2]);
  });
});

describe('k3os config', () => {
  it('--validate: 0 for good files, 1 with file:line:col errors', async () => {
    const dir = tempRoot();
    writeFileSync(path.join(dir, 'good.yaml'), 'hostname: a\n');
    writeFileSync(path.join(dir, 'bad.yaml'), 'hostname: a\nk3os:\n  labels: [x]\n');
    const a = io(dir);
    assert.equal(await main(['config', '--validate', path.join(dir, 'good.yaml')], a.cli), 0);
    const b = io(dir);
    assert.equal(await main(['config', '--validate', path.join(dir, 'good.yaml'), path.join(dir, 'bad.yaml'), path.join(dir, 'missing.yaml')], b.cli), 1);
    assert.match(b.err.join(''), /bad\.yaml:3:11: error: k3os\.labels: expected a map of strings, got a list/);
    assert.match(b.err.join(''), /missing\.yaml: error: cannot read/);
    assert.equal(await main(['config'], io(dir).cli), 2);
  });
  it('--dump and --dump-json show the merged config of a root', async () => {
    const root = tempRoot({
      '/k3os/system/config.yaml': 'hostname: sys\nk3os: {token: a}\n',
      '/var/lib/rancher/k3os/config.d/50-x.yaml': 'k3os: {token: b}\n',
    });
    const y = io(root);
    assert.equal(await main(['config', '--dump', '--root', root], y.cli), 0);
    assert.match(y.out.join(''), /hostname: sys\nk3os:\n {2}token: b\n/);
    const j = io(root);
    assert.equal(await main(['config', '--dump-json', '--root', root], j.cli), 0);
    assert.equal(JSON.parse(j.out.join('')).k3os.token, 'b');
  });
  it('--boot applies the boot phase, saves last-good, and falls back to it when config breaks', async () => {
    const root = tempRoot({ '/k3os/system/config.yaml': 'hostname: n1\nboot_cmd: [true]\n', '/etc/hosts': '' });
    const a = io(root);
    assert.equal(await main(['config', '--boot', '--root', root], a.cli), 0);
    assert.deepEqual(a.ctx.rec.hostnames, ['n1']);
    assert.deepEqual(a.ctx.rec.runs, [['sh', '-c', 'true']]);
    assert.match(readFileSync(path.join(root, '/var/lib/rancher/k3os/last-good.yaml'), 'utf8'), /hostname: n1/);
    writeFileSync(path.join(root, '/k3os/system/config.yaml'), 'hostname: [broken\n');
    const b = io(root);
    assert.equal(await main(['config', '--boot', '--root', root], b.cli), 1);
    assert.deepEqual(b.ctx.rec.hostnames, ['n1']);
    assert.match(b.err.join(''), /\/k3os\/system\/config.yaml:\d+:\d+: error: invalid YAML/);
  });
});
