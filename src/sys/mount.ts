import { MNT, MS } from './constants.ts';
import type { MountFlag, MountSpec, UmountOptions } from './types.ts';

export const MOUNT_FLAG_BITS: Readonly<Record<MountFlag, number>> = {
  rdonly: MS.RDONLY,
  nosuid: MS.NOSUID,
  nodev: MS.NODEV,
  noexec: MS.NOEXEC,
  remount: MS.REMOUNT,
  bind: MS.BIND,
  rec: MS.REC,
  private: MS.PRIVATE,
  slave: MS.SLAVE,
  shared: MS.SHARED,
  relatime: MS.RELATIME,
  noatime: MS.NOATIME,
  move: MS.MOVE,
};

export function mountFlagBits(flags: readonly MountFlag[]): number {
  if (!Array.isArray(flags)) throw new TypeError('mount flags must be an array of flag names');
  let bits = 0;
  for (const flag of flags as readonly unknown[]) {
    const bit = typeof flag === 'string' && Object.hasOwn(MOUNT_FLAG_BITS, flag) ? MOUNT_FLAG_BITS[flag as MountFlag] : undefined;
    if (bit === undefined) {
      throw new RangeError(`unknown mount flag ${JSON.stringify(flag)}; known: ${Object.keys(MOUNT_FLAG_BITS).join(', ')}`);
    }
    bits |= bit;
  }
  return bits;
}

export function umountFlagBits(options: UmountOptions = {}): number {
  return (options.lazy ? MNT.DETACH : 0) | (options.force ? MNT.FORCE : 0);
}

/** The positional arguments of the native mount(2), checked. */
export function mountArgs(spec: MountSpec): [string | null, string, string | null, number, string | null] {
  if (spec === null || typeof spec !== 'object') throw new TypeError('mount spec must be an object');
  const { source, target, fstype, data } = spec;
  for (const [key, value] of [['source', source], ['target', target], ['fstype', fstype]] as const) {
    if (typeof value !== 'string') throw new TypeError(`mount ${key} must be a string, got ${typeof value}`);
    if (value.includes('\0')) throw new TypeError(`mount ${key} must not contain NUL`);
  }
  if (target === '') throw new RangeError('mount target must not be empty');
  if (data !== undefined && (typeof data !== 'string' || data.includes('\0'))) {
    throw new TypeError('mount data must be a string without NUL');
  }
  // Remount, bind, move and propagation changes ignore source and fstype;
  // the kernel takes NULL for them, and "none" reads better in specs.
  return [source === '' ? null : source, target, fstype === '' ? null : fstype, mountFlagBits(spec.flags), data ?? null];
}
