import type { Mode, Runtime } from './types.ts';

export interface ModeFacts {
  runtime: Runtime;
  /** Mode asked for on the command line (k3os.mode / rescue). */
  requested?: string;
  /** A K3OS_STATE filesystem (machine) or K3OS_STATE_DIR (container) exists. */
  hasState: boolean;
}

const aliases: Readonly<Record<string, Mode>> = {
  live: 'live', disk: 'disk', local: 'local', install: 'install',
  recovery: 'recovery', rescue: 'recovery', shell: 'recovery',
};

/** The mode a k3os.mode value names, its aliases resolved; undefined when it names none. */
export const requestedMode = (requested: string): Mode | undefined => aliases[requested];

/**
 * k3OS's mode rules: an explicit mode wins; otherwise a state filesystem means
 * disk and no state means live. Asking for disk/local without state is an error
 * (booting live would silently lose the user's data on the next write).
 */
export function decideMode(f: ModeFacts): Mode {
  if (f.requested !== undefined) {
    const m = requestedMode(f.requested);
    if (m === undefined) {
      throw new Error(`k3os.mode=${f.requested}: unknown mode (one of ${Object.keys(aliases).join(', ')})`);
    }
    if ((m === 'disk' || m === 'local') && !f.hasState) {
      throw new Error(`k3os.mode=${f.requested}: no K3OS_STATE filesystem found`);
    }
    return m;
  }
  return f.hasState ? 'disk' : 'live';
}
