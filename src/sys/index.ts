// The kernel, typed. src/init imports from here.
export type * from './types.ts';
export { createLinuxSys, type LinuxSys } from './linux.ts';
export { ExitFanout, HELD_EXITS_LIMIT, LinuxReaper } from './reaper.ts';
export { findAddon, loadAddon, type NativeAddon } from './addon.ts';
export { readCmdline } from './cmdline.ts';
export { findBlockDeviceByLabel, parseExt4Label, type BlockScanPaths } from './blockdev.ts';
export { signalName } from './signals.ts';
