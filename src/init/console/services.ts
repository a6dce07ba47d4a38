// Service declarations for the consoles: a login on each console= device, and
// the recovery menu on each of them in its place when boot failed or recovery
// was asked for.
import type { NodeState } from '../node-state.ts';
import { SERVICE_PATH, type ServiceDecl } from '../supervisor/types.ts';
import type { ConsoleDevice } from './consoles.ts';
import { findShell, recoveryShell } from './recovery-shell.ts';

/**
 * The supervisor's declaration. `tty` set: the supervisor opens the terminal
 * (O_RDWR|O_NOCTTY, blocking, so the child does not inherit O_NONBLOCK) as stdin,
 * stdout and stderr, and makes it the controlling tty. Absent: the program opens the
 * terminal itself (getty does: it sets the line, setsid, TIOCSCTTY).
 */
export type ConsoleServiceDecl = ServiceDecl;

export const BUSYBOX = '/bin/busybox';
export const K3OS_BIN = '/usr/bin/k3os';

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
    env: { PATH: SERVICE_PATH, TERM: termFor(dev) },
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
    env: { PATH: SERVICE_PATH, TERM: termFor(dev), HOME: '/root' },
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

// console=null (or only non-terminal consoles): the kernel still has /dev/console.
const FALLBACK: ConsoleDevice = { name: 'console', path: '/dev/console', baud: null, parity: 'n', bits: 8, kind: 'other', primary: true };

/** A login on every console; none in a container, whose terminal belongs to whoever started it. */
export function consoleLogins(node: Pick<NodeState, 'runtime' | 'cmdline'>): ServiceDecl[] {
  return node.runtime === 'machine' ? loginServices(node.cmdline.consoles) : [];
}

/** The recovery menu on every console (a container's: PID 1's stdio); a root shell without the k3os program. */
export function recoveryConsoles(node: Pick<NodeState, 'runtime' | 'cmdline'>, exists: (path: string) => boolean, reason: string): ServiceDecl[] {
  // Without the k3os program (a dev tree, a broken image) a shell is the honest fallback.
  if (!exists(K3OS_BIN)) return [recoveryShell({ runtime: node.runtime, shell: findShell(exists) })];
  if (node.runtime === 'machine') {
    const devices = node.cmdline.consoles;
    return recoveryServices(devices.length > 0 ? devices : [FALLBACK], reason);
  }
  return [{
    id: 'recovery',
    argv: [K3OS_BIN, 'recovery', '--console', 'stdio', '--reason', sanitizeReason(reason)],
    env: { PATH: SERVICE_PATH, TERM: termFor(FALLBACK), HOME: '/root' },
    dependsOn: [],
    restart: 'forever',
    stopTimeoutMs: 2000,
    stdioPaths: ['/proc/self/fd/0', '/proc/self/fd/1', '/proc/self/fd/2'],
    setsid: true,
  }];
}
