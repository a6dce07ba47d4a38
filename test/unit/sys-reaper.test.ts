import assert from 'node:assert/strict';
import { test } from 'node:test';

import { ExitFanout } from '../../src/sys/reaper.ts';
import type { ExitStatus } from '../../src/sys/types.ts';

const exit = (pid: number, code: number | null = 0, signal: NodeJS.Signals | null = null): ExitStatus => ({ pid, code, signal });
const tick = () => new Promise((resolve) => setImmediate(resolve));

test('a subscriber gets its pid exit exactly once; others do not see it', () => {
  const fanout = new ExitFanout();
  const seen: ExitStatus[] = [];
  const orphans: ExitStatus[] = [];
  fanout.onOrphan((s) => orphans.push(s));
  fanout.spawned(10);
  fanout.onExit(10, (s) => seen.push(s));
  fanout.deliver(exit(10, 7));
  fanout.deliver(exit(10, 9)); // pid reuse with nobody subscribed: not ours any more, an orphan
  assert.deepEqual(seen, [exit(10, 7)]);
  assert.deepEqual(orphans, [exit(10, 9)]);
});

test('exits nobody waits for, of pids not spawned here, are orphans', () => {
  const fanout = new ExitFanout();
  const orphans: ExitStatus[] = [];
  const off = fanout.onOrphan((s) => orphans.push(s));
  fanout.deliver(exit(5, null, 'SIGKILL'));
  off();
  fanout.deliver(exit(6));
  assert.deepEqual(orphans, [exit(5, null, 'SIGKILL')]);
});

test('a spawned pid exiting before its subscriber is held for a late onExit', async () => {
  const fanout = new ExitFanout();
  const orphans: ExitStatus[] = [];
  fanout.onOrphan((s) => orphans.push(s));
  fanout.spawned(20);
  fanout.deliver(exit(20, 3));
  const seen: ExitStatus[] = [];
  fanout.onExit(20, (s) => seen.push(s));
  assert.equal(seen.length, 0, 'delivered asynchronously, like every exit');
  await tick();
  assert.deepEqual(seen, [exit(20, 3)]);
  fanout.onExit(20, (s) => seen.push(s));
  await tick();
  assert.deepEqual(seen, [exit(20, 3)], 'a held exit is handed out once');
  assert.deepEqual(orphans, []);
});

test('unsubscribing before a held exit is handed out drops it', async () => {
  const fanout = new ExitFanout();
  fanout.spawned(21);
  fanout.deliver(exit(21));
  let calls = 0;
  const off = fanout.onExit(21, () => calls++);
  off();
  await tick();
  assert.equal(calls, 0);
});

test('held exits are bounded; the oldest past the bound becomes an orphan', () => {
  const fanout = new ExitFanout(2);
  const orphans: number[] = [];
  fanout.onOrphan((s) => orphans.push(s.pid));
  for (const pid of [31, 32, 33, 34]) {
    fanout.spawned(pid);
    fanout.deliver(exit(pid));
  }
  assert.deepEqual(orphans, [31, 32]);
});

test('unsubscribe stops delivery; the exit then counts as unclaimed', async () => {
  const fanout = new ExitFanout();
  let calls = 0;
  fanout.spawned(40);
  const off = fanout.onExit(40, () => calls++);
  off();
  fanout.deliver(exit(40));
  assert.equal(calls, 0);
  const late: ExitStatus[] = [];
  fanout.onExit(40, (s) => late.push(s));
  await tick();
  assert.deepEqual(late, [exit(40)]);
});

test('every listener of a pid runs even if one throws; the error surfaces after', () => {
  const fanout = new ExitFanout();
  const calls: string[] = [];
  fanout.onExit(50, () => {
    calls.push('a');
    throw new Error('listener a');
  });
  fanout.onExit(50, () => calls.push('b'));
  assert.throws(() => fanout.deliver(exit(50)), /listener a/);
  assert.deepEqual(calls, ['a', 'b']);
});

test('onExit checks its arguments', () => {
  const fanout = new ExitFanout();
  assert.throws(() => fanout.onExit(0, () => {}), RangeError);
  assert.throws(() => fanout.onExit(1.5, () => {}), RangeError);
  assert.throws(() => fanout.onExit(1, 'x' as unknown as () => void), TypeError);
  assert.throws(() => fanout.onOrphan(undefined as unknown as () => void), TypeError);
});
