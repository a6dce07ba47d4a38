import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backoffDelay } from '../../src/lib/backoff.ts';
import { DEFAULT_BACKOFF, nextAttempt, shouldRestart } from '../../src/init/supervisor/restart.ts';

const noJitter = () => 0;

test('the default backoff caps at 30 s', () => {
  assert.equal(backoffDelay(1_000, DEFAULT_BACKOFF, noJitter), DEFAULT_BACKOFF.capMs);
  assert.equal(DEFAULT_BACKOFF.capMs, 30_000);
});

test('a stable run resets the attempt counter, a short one increments it', () => {
  assert.equal(nextAttempt(5, DEFAULT_BACKOFF.stableMs), 0);
  assert.equal(nextAttempt(5, DEFAULT_BACKOFF.stableMs - 1), 6);
});

test('restart policies', () => {
  const ok = { pid: 1, code: 0, signal: null };
  const bad = { pid: 1, code: 3, signal: null };
  const killed = { pid: 1, code: null, signal: 'SIGKILL' as const };
  assert.deepEqual([ok, bad, killed].map((s) => shouldRestart('forever', s)), [true, true, true]);
  assert.deepEqual([ok, bad, killed].map((s) => shouldRestart('once', s)), [false, false, false]);
  assert.deepEqual([ok, bad, killed].map((s) => shouldRestart('untilSuccess', s)), [false, true, true]);
});
