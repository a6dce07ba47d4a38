import { closeSync, openSync, readdirSync, readSync } from 'node:fs';
import { join } from 'node:path';

// ext2/3/4 superblock: 1024 bytes into the device; s_magic at +56 (le16),
// s_volume_name at +120 (16 bytes, NUL-padded).
export const EXT4_SUPERBLOCK_OFFSET = 1024;
export const EXT4_MAGIC = 0xef53;
const MAGIC_AT = EXT4_SUPERBLOCK_OFFSET + 56;
const LABEL_AT = EXT4_SUPERBLOCK_OFFSET + 120;
const LABEL_LENGTH = 16;
/** Bytes from the start of a device that parseExt4Label needs. */
export const EXT4_HEAD_LENGTH = LABEL_AT + LABEL_LENGTH;

/**
 * The volume label of an ext2/3/4 filesystem, given the first bytes of the
 * device (at least EXT4_HEAD_LENGTH); '' when it has none, null when the
 * bytes are not an ext filesystem.
 */
export function parseExt4Label(head: Uint8Array): string | null {
  if (head.length < EXT4_HEAD_LENGTH) return null;
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  if (view.getUint16(MAGIC_AT, true) !== EXT4_MAGIC) return null;
  const raw = head.subarray(LABEL_AT, LABEL_AT + LABEL_LENGTH);
  const end = raw.indexOf(0);
  return Buffer.from(raw.subarray(0, end === -1 ? LABEL_LENGTH : end)).toString('utf8');
}

export interface BlockScanPaths {
  /** Where block devices are listed; default /sys/class/block. */
  sysClassBlock?: string;
  /** Where their nodes are; default /dev. */
  dev?: string;
}

// A listed device that cannot be read is skipped, one errno at a time: gone
// since listing, no medium (empty CD drive), no such device behind the node
// (unbound loop), an I/O error on a dying disk, a device this process may not
// open (a device cgroup or LSM in a container).
const UNREADABLE = new Set(['ENOENT', 'ENXIO', 'ENOMEDIUM', 'EIO', 'ENODEV', 'EPERM', 'EACCES']);

function readHead(path: string): Buffer | null {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    if (UNREADABLE.has((error as NodeJS.ErrnoException).code ?? '')) return null;
    throw error;
  }
  try {
    const head = Buffer.alloc(EXT4_HEAD_LENGTH);
    const n = readSync(fd, head, 0, head.length, 0);
    return head.subarray(0, n);
  } catch (error) {
    if (UNREADABLE.has((error as NodeJS.ErrnoException).code ?? '')) return null;
    throw error;
  } finally {
    closeSync(fd);
  }
}

/**
 * The device node (/dev/<name>) of the first block device, in name order,
 * holding an ext filesystem labelled `label`; null if none does.
 */
export function findBlockDeviceByLabel(label: string, paths: BlockScanPaths = {}): string | null {
  const sysClassBlock = paths.sysClassBlock ?? '/sys/class/block';
  const dev = paths.dev ?? '/dev';
  for (const name of readdirSync(sysClassBlock).sort()) {
    const node = join(dev, name);
    const head = readHead(node);
    if (head && parseExt4Label(head) === label) return node;
  }
  return null;
}
