import fs from 'node:fs';
import { findBlockDeviceByLabel, readCmdline } from '../sys/index.ts';
import { parseMounts, STATE_LABEL } from './mounts.ts';
import type { Host } from './phases/types.ts';

/** Kernel state that is read from files: the src/sys helpers and /proc. */
export const linuxHost: Host = {
  readCmdline: () => readCmdline(),
  findStateDevice: () => {
    try {
      return findBlockDeviceByLabel(STATE_LABEL);
    } catch (err) {
      // No /sys/class/block (no sysfs, no block devices): there is no state disk.
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  },
  readMounts: () => parseMounts(fs.readFileSync('/proc/self/mounts', 'utf8')),
  exists: (p) => fs.existsSync(p),
};
