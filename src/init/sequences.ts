// The boot, declared: which phases run in which order, the tasks of each, and
// what a task's failure means (phases/policy.ts). A task not wrapped is fatal:
// its phase fails and the boot goes to recovery.
import { CONSOLE_DEFAULTS } from './console/settings.ts';
import { applyBoot, applyConsoleLogLevel, applyInitrd, awaitRecoveryPrompt, loadConfig } from './phases/config.ts';
import { applyConsoleSettings, mountApiFilesystems, readKernelCmdline } from './phases/early-mounts.ts';
import { runInstaller } from './phases/install.ts';
import { chooseMode, findStateFilesystem } from './phases/mode.ts';
import { loadBootModules } from './phases/modules.ts';
import { applyRuntime, bringUpNetwork } from './phases/network.ts';
import { bestEffort, withTimeout } from './phases/policy.ts';
import { enterRecoveryConsole, guardRecoveryShell } from './phases/recovery.ts';
import { mountRoot, openInitLog } from './phases/root.ts';
import { prepareConsoleAccounts, seedK3sManifests, startAgent, startK3s, startLogins } from './phases/services.ts';
import type { Phase, Task } from './phases/types.ts';
import type { Mode, Runtime } from './types.ts';

const phase = (name: string, ...tasks: Task[]): Phase => ({ name, tasks });

const earlyMounts = phase('earlyMounts', mountApiFilesystems, readKernelCmdline, applyConsoleSettings);
const modules = phase('modules', loadBootModules);
const mode = phase('mode', findStateFilesystem, chooseMode);
const root = phase('root', mountRoot, openInitLog);
const config = phase('config',
  loadConfig,
  applyConsoleLogLevel,
  // The prompt closes itself when its window ends; a prompt that never answers must not hold the boot.
  bestEffort(withTimeout(awaitRecoveryPrompt, CONSOLE_DEFAULTS.maxPromptMs + 5_000), 'no recovery from the boot prompt'),
  applyInitrd,
  applyBoot);
const network = phase('network', bringUpNetwork, applyRuntime);
const services = phase('services', seedK3sManifests, startK3s, startAgent, prepareConsoleAccounts, startLogins);
const recovery = phase('recovery',
  bestEffort(guardRecoveryShell, 'k3os.password could not be read; the shell opens without a password'),
  enterRecoveryConsole);
const install = phase('install', runInstaller);

/**
 * The boot, top to bottom. Only a machine loads kernel modules, and it does
 * so before the mode phase looks for K3OS_STATE: virtio_blk is a module, and
 * without it there is no disk to find (docs/image.md). Until the
 * mode phase has run, mode is unknown and the list is the default one: the
 * runner re-reads the sequence before every phase, and the first phases are
 * the same for every mode.
 */
export function bootSequence(n: { runtime: Runtime; mode?: Mode | undefined }): Phase[] {
  const head = [earlyMounts, ...(n.runtime === 'machine' ? [modules] : []), mode, root];
  switch (n.mode) {
    case 'recovery': return [...head, recovery];
    case 'install': return [...head, config, network, install];
    default: return [...head, config, network, services];
  }
}

/** After a failed boot: the recovery phase alone, with its own policy. */
export const recoverySequence = (): Phase[] => [recovery];

export const phaseNames = (phases: readonly Phase[]): string[] => phases.map((p) => p.name);
