import { closeSync, openSync } from 'node:fs';

import { loadAddon, type NativeAddon } from './addon.ts';
import { mountArgs, umountFlagBits } from './mount.ts';
import { checkHostname, rebootCmd } from './power.ts';
import { LinuxReaper } from './reaper.ts';
import { spawnArgs } from './spawn.ts';
import type { Sys } from './types.ts';

export interface LinuxSys extends Sys {
  /** Not started until reaper.start(): loading the addon takes over no children. */
  readonly reaper: LinuxReaper;
  /**
   * prctl(PR_SET_CHILD_SUBREAPER): orphans below this process come to it.
   * PID 1 gets them anyway; tests and containers below PID 1 need this.
   */
  setChildSubreaper(on: boolean): void;
}

/** The Sys of the running kernel. */
export function createLinuxSys(addon: NativeAddon = loadAddon()): LinuxSys {
  const reaper = new LinuxReaper(addon);
  return {
    reaper,
    mount(spec) {
      addon.mount(...mountArgs(spec));
    },
    umount(target, options) {
      if (typeof target !== 'string' || target === '') throw new TypeError('umount target must be a non-empty string');
      addon.umount2(target, umountFlagBits(options));
    },
    reboot(command) {
      addon.reboot(rebootCmd(command));
    },
    sethostname(name) {
      addon.sethostname(checkHostname(name));
    },
    sync() {
      addon.sync();
    },
    loadModule(path, params) {
      if (typeof path !== 'string' || path === '') throw new TypeError('loadModule path must be a non-empty string');
      if (typeof params !== 'string') throw new TypeError('loadModule params must be a string');
      const fd = openSync(path, 'r');
      try {
        addon.finitModule(fd, params, 0, path);
      } finally {
        closeSync(fd);
      }
    },
    pipe() {
      return addon.pipe();
    },
    spawn(spec) {
      const pid = addon.spawn(...spawnArgs(spec));
      reaper.spawned(pid);
      return pid;
    },
    kill(pid, signal) {
      if (!Number.isInteger(pid) || pid <= 0) throw new RangeError(`kill pid must be a positive integer, got ${pid}`);
      process.kill(pid, signal);
    },
    setChildSubreaper(on) {
      if (typeof on !== 'boolean') throw new TypeError('setChildSubreaper takes a boolean');
      addon.setChildSubreaper(on);
    },
  };
}
