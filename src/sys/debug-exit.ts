// TEST-ONLY: qemu's isa-debug-exit device (`-device isa-debug-exit,iobase=0xf4,iosize=0x04`).
// A byte N written to its port ends qemu with exit status 2N+1, which is how a VM test
// gets a verdict from inside the guest. The kernel has no /dev/port, so the addon does
// ioperm + outb. Only for a kernel command line that carries DEBUG_EXIT_TOKEN: on any
// other machine port 0xf4 may belong to real hardware.
import { loadAddon } from './addon.ts';

export const DEBUG_EXIT_PORT = 0xf4;
/** What the VM test harness appends to the kernel command line to allow a verdict. */
export const DEBUG_EXIT_TOKEN = 'k3os_test_debug_exit=1';

export interface IoportAddon {
  ioperm(from: number, num: number, on: boolean): void;
  outb(value: number, port: number): void;
}

/** Whether the command line allows writing the debug-exit port. */
export const debugExitAllowed = (cmdline: string): boolean => cmdline.split(/\s+/).includes(DEBUG_EXIT_TOKEN);

/** Writes N (0..127, so 2N+1 fits an exit status); under qemu it does not return. */
export function debugExit(code: number, addon: IoportAddon = loadAddon() as unknown as IoportAddon): void {
  if (!Number.isInteger(code) || code < 0 || code > 127) throw new RangeError(`debug exit code must be 0..127, not ${code}`);
  addon.ioperm(DEBUG_EXIT_PORT, 1, true);
  addon.outb(code, DEBUG_EXIT_PORT);
}
