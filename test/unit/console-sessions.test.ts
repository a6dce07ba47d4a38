import { test } from 'node:test';
import assert from 'node:assert/strict';
import { consoleLogins, recoveryConsoles } from '../../src/init/console/services.ts';
import { nodeState } from '../fixtures/node-state.ts';

function ctx(runtime: 'machine' | 'container', cmdline: string, existing: string[]) {
  return { node: nodeState({ runtime, cmdline }), exists: (p: string) => existing.includes(p) };
}

const recovery = (c: ReturnType<typeof ctx>, reason: string) => recoveryConsoles(c.node, c.exists, reason);

const IMAGE = ['/usr/bin/k3os', '/bin/busybox'];

test('machine: a getty per console=, the menu per console= in recovery', () => {
  const c = ctx('machine', 'console=tty1 console=ttyS0,115200n8', IMAGE);
  assert.deepEqual(consoleLogins(c.node).map((d) => d.id), ['getty-tty1', 'getty-ttyS0']);
  const r = recovery(c, 'boot phase 5/6 network: boom');
  assert.deepEqual(r.map((d) => [d.id, d.tty, d.argv.slice(1, 4)]), [
    ['recovery-tty1', '/dev/tty1', ['recovery', '--console', 'tty1']],
    ['recovery-ttyS0', '/dev/ttyS0', ['recovery', '--console', 'ttyS0']],
  ]);
});

test('machine with console=null: the menu still runs on /dev/console', () => {
  const r = recovery(ctx('machine', 'console=null', IMAGE), 'x');
  assert.deepEqual(r.map((d) => [d.id, d.tty]), [['recovery-console', '/dev/console']]);
});

test('container: no logins; the menu on PID 1\'s own stdio', () => {
  const c = ctx('container', 'console=ttyS0', IMAGE);
  assert.deepEqual(consoleLogins(c.node), []);
  const [r] = recovery(c, 'why');
  assert.deepEqual([r?.id, r?.tty, r?.stdioPaths], ['recovery', undefined, ['/proc/self/fd/0', '/proc/self/fd/1', '/proc/self/fd/2']]);
});

test('without the k3os program, recovery falls back to the root shell', () => {
  const [r] = recovery(ctx('machine', 'console=ttyS0', ['/bin/busybox']), 'why');
  assert.equal(r?.id, 'recovery-shell');
  assert.deepEqual(r?.argv, ['/bin/busybox', 'sh']);
});
