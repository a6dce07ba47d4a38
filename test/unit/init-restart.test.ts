import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backoffDelay } from '../../src/lib/backoff.ts';
import { DEFAULT_BACKOFF, nextAttempt, shouldRestart } from '../../src/init/supervisor/restart.ts';

const noJitter = () => 0;
const fullJitter = () => 0.999999;

test('backoffDelay doubles from the base and stops at the cap', () => {
  const o = { baseMs: 100, capMs: 1_000, jitterRatio: 0.2, stableMs: 5_000 };
  assert.deepEqual([0, 1, 2, 3, 4, 5, 40].map((a) => backoffDelay(a, o, noJitter)), [100, 200, 400, 800, 1000, 1000, 1000]);
});

test('backoffDelay jitter only shortens, by at most jitterRatio', () => {
  const o = { baseMs: 1_000, capMs: 10_000, jitterRatio: 0.2, stableMs: 5_000 };
  assert.equal(backoffDelay(0, o, fullJitter), 800);
  assert.equal(backoffDelay(10, o, fullJitter), 8_000);
  for (let i = 0; i < 100; i++) {
    const d = backoffDelay(3, o, Math.random);
    assert.ok(d >= 6_400 && d <= 8_000, String(d));
  }
});

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
