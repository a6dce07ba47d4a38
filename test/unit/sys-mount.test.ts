import assert from 'node:assert/strict';
import { test } from 'node:test';

import { MS } from '../../src/sys/constants.ts';
import { MOUNT_FLAG_BITS, mountArgs, mountFlagBits, umountFlagBits } from '../../src/sys/mount.ts';
import type { MountFlag } from '../../src/sys/types.ts';

test('each mount flag name maps to its MS_ bit', () => {
  const expected: Record<MountFlag, number> = {
    rdonly: 0x1, nosuid: 0x2, nodev: 0x4, noexec: 0x8, remount: 0x20, noatime: 0x400, bind: 0x1000,
    move: 0x2000, rec: 0x4000, private: 0x40000, slave: 0x80000, shared: 0x100000, relatime: 0x200000,
  };
  assert.deepEqual({ ...MOUNT_FLAG_BITS }, expected);
  for (const [name, bit] of Object.entries(expected)) assert.equal(mountFlagBits([name as MountFlag]), bit);
});

test('mount flags combine by OR, and repeats are harmless', () => {
  assert.equal(mountFlagBits([]), 0);
  assert.equal(mountFlagBits(['nosuid', 'nodev', 'noexec']), MS.NOSUID | MS.NODEV | MS.NOEXEC);
  assert.equal(mountFlagBits(['bind', 'rec', 'bind']), MS.BIND | MS.REC);
  assert.equal(mountFlagBits(['remount', 'bind', 'rdonly']), MS.REMOUNT | MS.BIND | MS.RDONLY);
});

test('an unknown mount flag is a RangeError naming it', () => {
  assert.throws(() => mountFlagBits(['nosiud' as MountFlag]), { name: 'RangeError', message: /"nosiud".*nosuid/ });
  assert.throws(() => mountFlagBits(['toString' as MountFlag]), RangeError);
  assert.throws(() => mountFlagBits('rdonly' as unknown as MountFlag[]), TypeError);
});

test('umount options map to MNT_DETACH and MNT_FORCE', () => {
  assert.equal(umountFlagBits(), 0);
  assert.equal(umountFlagBits({ lazy: true }), 2);
  assert.equal(umountFlagBits({ force: true }), 1);
  assert.equal(umountFlagBits({ lazy: true, force: true }), 3);
});

test('mountArgs passes checked positional arguments, empty source/fstype as NULL', () => {
  assert.deepEqual(
    mountArgs({ source: 'tmpfs', target: '/run', fstype: 'tmpfs', flags: ['nosuid', 'nodev'], data: 'mode=0755' }),
    ['tmpfs', '/run', 'tmpfs', MS.NOSUID | MS.NODEV, 'mode=0755'],
  );
  assert.deepEqual(mountArgs({ source: '', target: '/', fstype: '', flags: ['private', 'rec'] }), [
    null, '/', null, MS.PRIVATE | MS.REC, null,
  ]);
  assert.throws(() => mountArgs({ source: 'x', target: '', fstype: 'tmpfs', flags: [] }), RangeError);
  assert.throws(() => mountArgs({ source: 'x', target: '/a\0b', fstype: 'tmpfs', flags: [] }), TypeError);
  assert.throws(() => mountArgs({ source: 'x', target: 3 as unknown as string, fstype: 'tmpfs', flags: [] }), TypeError);
  assert.throws(() => mountArgs({ source: 'x', target: '/a', fstype: 'tmpfs', flags: [], data: 1 as unknown as string }), TypeError);
});
