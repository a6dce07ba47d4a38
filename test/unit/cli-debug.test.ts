import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UsageError } from '../../src/cli/args.ts';
import { debugCommand } from '../../src/cli/debug-command.ts';
import { debugExit, debugExitAllowed, DEBUG_EXIT_PORT, DEBUG_EXIT_TOKEN } from '../../src/sys/debug-exit.ts';

const io = (cmdline: string) => {
  const calls: number[] = [];
  const errs: string[] = [];
  return { calls, errs, io: { err: (t: string) => { errs.push(t); }, cmdline: () => cmdline, exit: (n: number) => { calls.push(n); } } };
};

test('k3os debug exit N writes N only when the command line allows it', async () => {
  const ok = io(`console=ttyS0 ${DEBUG_EXIT_TOKEN} quiet`);
  // Without qemu's device the write returns, and that is a failure.
  assert.equal(await debugCommand(['exit', '3'], ok.io), 'failed');
  assert.deepEqual(ok.calls, [3]);
  assert.match(ok.errs.join(''), /no isa-debug-exit device/);

  const refused = io('console=ttyS0 k3os_test_debug_exit=0 quiet');
  assert.equal(await debugCommand(['exit', '0'], refused.io), 'failed');
  assert.deepEqual(refused.calls, []);
  assert.match(refused.errs.join(''), /refused/);
});

test('k3os debug rejects anything but exit 0..127', async () => {
  for (const argv of [[], ['exit'], ['exit', '128'], ['exit', '-1'], ['exit', 'x'], ['quit', '1'], ['exit', '1', '2']]) {
    await assert.rejects(debugCommand(argv, io(DEBUG_EXIT_TOKEN).io), UsageError, JSON.stringify(argv));
  }
});

test('debugExit grants the port, then writes the byte', () => {
  const ops: string[] = [];
  debugExit(5, { ioperm: (f, n, on) => { ops.push(`ioperm ${f} ${n} ${on}`); }, outb: (v, p) => { ops.push(`outb ${v} ${p}`); } });
  assert.deepEqual(ops, [`ioperm ${DEBUG_EXIT_PORT} 1 true`, `outb 5 ${DEBUG_EXIT_PORT}`]);
  assert.throws(() => debugExit(200, { ioperm: () => {}, outb: () => {} }), RangeError);
  assert.equal(debugExitAllowed(`a ${DEBUG_EXIT_TOKEN}x`), false);
});
