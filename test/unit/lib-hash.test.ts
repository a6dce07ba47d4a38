import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonical, canonicalHash } from '../../src/lib/hash.ts';

describe('canonicalHash', () => {
  it('ignores key order and changes with any value', () => {
    const a = canonicalHash({ hostname: 'a', k3os: { labels: { x: '1', y: '2' } } });
    assert.equal(a, canonicalHash({ k3os: { labels: { y: '2', x: '1' } }, hostname: 'a' }));
    assert.notEqual(a, canonicalHash({ hostname: 'a', k3os: { labels: { x: '1', y: '3' } } }));
    assert.match(a, /^sha256:[0-9a-f]{64}$/);
  });

  it('ignores key order and changes with content', () => {
    assert.equal(canonicalHash({ a: 1, b: { c: 2, d: 3 } }), canonicalHash({ b: { d: 3, c: 2 }, a: 1 }));
    assert.notEqual(canonicalHash({ a: 1 }), canonicalHash({ a: 2 }));
  });

  it('keeps array order: a list is not a set', () => {
    assert.notEqual(canonicalHash({ a: [1, 2] }), canonicalHash({ a: [2, 1] }));
    assert.deepEqual(canonical([{ b: 1, a: 2 }]), [{ a: 2, b: 1 }]);
  });

  it('hashes a missing value as the empty object', () => {
    assert.equal(canonicalHash(undefined), canonicalHash({}));
  });
});
