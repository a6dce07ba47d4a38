// Service declarations for the consoles: a login on each console device, and the
// recovery menu in its place when boot failed or recovery was asked for.
import type { ServiceDecl } from '../supervisor/types.ts';
import type { ConsoleDevice } from './cmdline.ts';

/**
 * The supervisor's declaration. `tty` set: the supervisor opens the terminal
 * (O_RDWR|O_NOCTTY, blocking, so the child does not inherit O_NONBLOCK) as stdin,
 * stdout and stderr, and makes it the controlling tty. Absent: the program opens the
 * terminal itself (getty does: it sets the line, setsid, TIOCSCTTY).
 */
export type ConsoleServiceDecl = ServiceDecl;

export const BUSYBOX = '/bin/busybox';
export const K3OS_BIN = '/usr/bin/k3os';
export const PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** TERM for the line: the VT console is "linux"; a serial line's far end is a terminal emulator. */
export function termFor(dev: ConsoleDevice): string {
  return dev.kind === 'vt' ? 'linux' : 'vt100';
}

/**
 * busybox getty on one console: -L (local line: no carrier wait, no hangup on a serial
 * port without modem lines), the kernel's baud, and busybox login (which refuses locked
 * accounts and honours /etc/securetty for uid 0).
 */
export function loginService(dev: ConsoleDevice): ConsoleServiceDecl {
  const speed = String(dev.baud ?? 38400);
  const argv = dev.kind === 'vt'
    ? [BUSYBOX, 'getty', '-l', '/bin/login', speed, dev.name, termFor(dev)]
    : [BUSYBOX, 'getty', '-L', '-l', '/bin/login', speed, dev.name, termFor(dev)];
  return {
    id: `getty-${dev.name}`,
    argv,
    env: { PATH, TERM: termFor(dev) },
    dependsOn: [],
    restart: 'forever',
    stopTimeoutMs: 2000,
    setsid: true,
  };
}

export function loginServices(devices: readonly ConsoleDevice[]): ConsoleServiceDecl[] {
  return devices.map(loginService);
}

/** Single line, printable, bounded: the reason travels in argv and is shown on a terminal. */
export function sanitizeReason(reason: string): string {
  return reason.replace(/[\x00-\x1f\x7f]+/g, ' ').trim().slice(0, 400);
}

/**
 * The recovery menu on one console. PID 1 runs it in place of the login, restarted
 * forever so leaving the menu (or a crash) brings it back rather than an empty line.
 */
export function recoveryService(dev: ConsoleDevice, reason: string): ConsoleServiceDecl {
  return {
    id: `recovery-${dev.name}`,
    argv: [K3OS_BIN, 'recovery', '--console', dev.name, '--reason', sanitizeReason(reason)],
    env: { PATH, TERM: termFor(dev), HOME: '/root' },
    dependsOn: [],
    restart: 'forever',
    stopTimeoutMs: 2000,
    tty: dev.path,
    setsid: true,
  };
}

export function recoveryServices(devices: readonly ConsoleDevice[], reason: string): ConsoleServiceDecl[] {
  return devices.map((d) => recoveryService(d, reason));
}
