import { SERVICE_PATH, type ServiceDecl } from '../supervisor/types.ts';
import type { Runtime } from '../types.ts';

/**
 * The root shell recovery falls back to where the k3os program (and so the
 * recovery menu) is missing: on /dev/console (as its controlling terminal) on
 * a machine, on PID 1's own stdio in a container. Restarted when it exits, so
 * `exit` never leaves the console dead.
 */
export function recoveryShell(o: { runtime: Runtime; shell: readonly string[] }): ServiceDecl {
  const base = {
    id: 'recovery-shell',
    argv: o.shell,
    env: { PATH: SERVICE_PATH, HOME: '/root', TERM: 'linux', PS1: '(recovery) # ' },
    dependsOn: [],
    restart: 'forever' as const,
    stopTimeoutMs: 2_000,
    setsid: true,
  };
  return o.runtime === 'machine'
    ? { ...base, tty: '/dev/console' }
    : { ...base, inheritStdio: true };
}

export function findShell(exists: (p: string) => boolean): string[] {
  for (const bb of ['/bin/busybox', '/usr/bin/busybox']) if (exists(bb)) return [bb, 'sh'];
  return ['/bin/sh'];
}
