import { config } from './phases/config.ts';
import { earlyMounts } from './phases/early-mounts.ts';
import { install } from './phases/install.ts';
import { mode } from './phases/mode.ts';
import { modules } from './phases/modules.ts';
import { network } from './phases/network.ts';
import { recovery } from './phases/recovery.ts';
import { root } from './phases/root.ts';
import { services } from './phases/services.ts';
import type { Phase } from './phases/types.ts';
import type { Mode, Runtime } from './types.ts';

/**
 * The boot, top to bottom. Only a machine loads kernel modules, and it does
 * so before the mode phase looks for K3OS_STATE: virtio_blk is a module, and
 * without it there is no disk to find (docs/image.md). Until the
 * mode phase has run, mode is unknown and the list is the default one: the
 * runner re-reads the sequence before every phase, and the first phases are
 * the same for every mode.
 */
export function bootSequence(f: { runtime: Runtime; mode?: Mode }): Phase[] {
  const head = [earlyMounts, ...(f.runtime === 'machine' ? [modules] : []), mode, root];
  switch (f.mode) {
    case 'recovery': return [...head, recovery];
    case 'install': return [...head, config, network, install];
    default: return [...head, config, network, services];
  }
}

export const phaseNames = (phases: readonly Phase[]): string[] => phases.map((p) => p.name);
