import type { Runtime } from './types.ts';

/**
 * The inode of the initial PID namespace is a kernel constant
 * (PROC_PID_INIT_INO = 0xEFFFFFFC), so /proc/self/ns/pid tells a machine's init
 * from the init of a PID namespace without guessing from side effects.
 */
export const INITIAL_PID_NS_INODE = 0xeffffffc;

export interface RuntimeFacts {
  pid: number;
  /** Inode from readlink(/proc/self/ns/pid), null when /proc is not mounted. */
  pidNsInode: number | null;
  env: Readonly<Record<string, string | undefined>>;
}

export type RuntimeDecision = { runtime: Runtime; why: string } | { refuse: string };

/**
 * Rule, in order:
 * 1. not PID 1: refuse, unless K3OS_INIT_DEV=1 (dev: no mounts, no reboot);
 * 2. K3OS_CONTAINER=1 or a `container=` env (set by container runtimes): container;
 * 3. the namespace unknown (no /proc even after init tried to mount it): container.
 *    A machine's init can always mount /proc; guessing "machine" wrongly would
 *    set the host's hostname and sysctls from a chroot;
 * 4. /proc/self/ns/pid is the initial namespace: machine; otherwise container.
 */
export function detectRuntime(f: RuntimeFacts): RuntimeDecision {
  if (f.pid !== 1) {
    if (f.env.K3OS_INIT_DEV === '1') return { runtime: 'dev', why: `pid ${f.pid}, K3OS_INIT_DEV=1` };
    return {
      refuse:
        `refusing to run as pid ${f.pid}: k3os init mounts over /etc, /var, /run and reboots the machine, ` +
        'so it only runs as PID 1. Try `unshare --pid --fork --mount --mount-proc <node> dist/init.cjs` ' +
        '(container mode), or set K3OS_INIT_DEV=1 to run without mounts for development.',
    };
  }
  if (f.env.K3OS_CONTAINER === '1' || (f.env.container ?? '') !== '') {
    return { runtime: 'container', why: 'container env set' };
  }
  if (f.pidNsInode === null) return { runtime: 'container', why: 'pid namespace unknown (/proc could not be mounted)' };
  if (f.pidNsInode === INITIAL_PID_NS_INODE) return { runtime: 'machine', why: 'initial pid namespace' };
  return { runtime: 'container', why: `pid namespace ${f.pidNsInode} is not the initial one` };
}

export function parseNsInode(link: string): number | null {
  const m = /^pid:\[(\d+)\]$/.exec(link);
  return m ? Number(m[1]) : null;
}
