// The console seam PID 1 boots with: a login on every console= device, and the
// recovery menu on each of them in place of the login when recovery is entered.
import type { ConsoleSeam } from '../seams.ts';
import { findShell, recoveryShell } from '../services/recovery-shell.ts';
import { parseConsoles, type ConsoleDevice } from './cmdline.ts';
import { K3OS_BIN, loginServices, PATH, recoveryServices, sanitizeReason, termFor } from './services.ts';

// console=null (or only non-terminal consoles): the kernel still has /dev/console.
const FALLBACK: ConsoleDevice = { name: 'console', path: '/dev/console', baud: null, parity: 'n', bits: 8, kind: 'other', primary: true };

export function createConsoleSeam(): ConsoleSeam {
  return {
    name: 'console (getty per console=, recovery menu)',
    logins(ctx) {
      // A container's terminal belongs to whoever started it; no logins there.
      if (ctx.facts.runtime !== 'machine') return [];
      return loginServices(parseConsoles(ctx.facts.rawCmdline));
    },
    recovery(ctx, reason) {
      // Without the k3os program (a dev tree, a broken image) a shell is the honest fallback.
      if (!ctx.host.exists(K3OS_BIN)) return [recoveryShell({ runtime: ctx.facts.runtime, shell: findShell(ctx.host.exists) })];
      if (ctx.facts.runtime === 'machine') {
        const devices = parseConsoles(ctx.facts.rawCmdline);
        return recoveryServices(devices.length > 0 ? devices : [FALLBACK], reason);
      }
      return [{
        id: 'recovery',
        argv: [K3OS_BIN, 'recovery', '--console', 'stdio', '--reason', sanitizeReason(reason)],
        env: { PATH, TERM: termFor(FALLBACK), HOME: '/root' },
        dependsOn: [],
        restart: 'forever',
        stopTimeoutMs: 2000,
        stdioPaths: ['/proc/self/fd/0', '/proc/self/fd/1', '/proc/self/fd/2'],
        setsid: true,
      }];
    },
  };
}
