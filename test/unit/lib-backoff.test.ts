import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backoffDelay } from '../../src/lib/backoff.ts';

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

test('backoffDelay without jitter is the plain ladder and ignores random', () => {
  const o = { baseMs: 1_000, capMs: 30_000 };
  assert.deepEqual([0, 1, 2, 5, 99].map((a) => backoffDelay(a, o, fullJitter)), [1_000, 2_000, 4_000, 30_000, 30_000]);
  assert.equal(backoffDelay(-3, o), 1_000);
});
