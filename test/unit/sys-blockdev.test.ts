import assert from 'node:assert/strict';
import { test } from 'node:test';

import { EXT4_HEAD_LENGTH, parseExt4Label } from '../../src/sys/blockdev.ts';

function head(label: Uint8Array | string, magic = 0xef53): Buffer {
  const buf = Buffer.alloc(2048, 0xaa);
  buf.writeUInt16LE(magic, 1024 + 56);
  buf.fill(0, 1024 + 120, 1024 + 136);
  Buffer.from(label).copy(buf, 1024 + 120);
  return buf;
}

test('reads the label of an ext superblock', () => {
  assert.equal(parseExt4Label(head('K3OS_STATE')), 'K3OS_STATE');
});

test('a 16-byte label has no terminating NUL', () => {
  assert.equal(parseExt4Label(head('ABCDEFGHIJKLMNOP')), 'ABCDEFGHIJKLMNOP');
});

test('no label is the empty string; no magic is null', () => {
  assert.equal(parseExt4Label(head('')), '');
  assert.equal(parseExt4Label(head('K3OS_STATE', 0x53ef)), null);
  assert.equal(parseExt4Label(Buffer.alloc(4096)), null);
});

test('a buffer shorter than the label field is null, exactly long enough is read', () => {
  const full = head('K3OS_STATE');
  assert.equal(parseExt4Label(full.subarray(0, EXT4_HEAD_LENGTH - 1)), null);
  assert.equal(parseExt4Label(full.subarray(0, EXT4_HEAD_LENGTH)), 'K3OS_STATE');
});

test('works on a view into a larger buffer', () => {
  const outer = Buffer.concat([Buffer.alloc(100, 1), head('STATE')]);
  assert.equal(parseExt4Label(outer.subarray(100)), 'STATE');
  assert.equal(parseExt4Label(new Uint8Array(outer.buffer, outer.byteOffset + 100, 2048)), 'STATE');
});
