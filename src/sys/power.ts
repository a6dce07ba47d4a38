import { HOST_NAME_MAX, LINUX_REBOOT_CMD } from './constants.ts';
import type { RebootCommand } from './types.ts';

export const REBOOT_CMDS: Readonly<Record<RebootCommand, number>> = {
  restart: LINUX_REBOOT_CMD.RESTART,
  poweroff: LINUX_REBOOT_CMD.POWER_OFF,
  halt: LINUX_REBOOT_CMD.HALT,
  cadOff: LINUX_REBOOT_CMD.CAD_OFF,
  cadOn: LINUX_REBOOT_CMD.CAD_ON,
};

export function rebootCmd(command: RebootCommand): number {
  const cmd = Object.hasOwn(REBOOT_CMDS, command) ? REBOOT_CMDS[command] : undefined;
  if (cmd === undefined) {
    throw new RangeError(`unknown reboot command ${JSON.stringify(command)}; known: ${Object.keys(REBOOT_CMDS).join(', ')}`);
  }
  return cmd;
}

export function checkHostname(name: string): string {
  if (typeof name !== 'string') throw new TypeError(`hostname must be a string, got ${typeof name}`);
  const bytes = Buffer.byteLength(name);
  if (bytes === 0 || bytes > HOST_NAME_MAX) {
    throw new RangeError(`hostname must be 1 to ${HOST_NAME_MAX} bytes, got ${bytes}`);
  }
  if (name.includes('\0')) throw new TypeError('hostname must not contain NUL');
  return name;
}
