import type { Sys } from '../../sys/types.ts';
import type { BootPrompt } from '../console/prompt.ts';
import type { ConsoleLogLevel } from '../console/settings.ts';
import type { MemoryThenFile } from '../log/file-sink.ts';
import type { Logger } from '../log/logger.ts';
import type { SecretScrubber } from '../log/redact.ts';
import type { NodeState } from '../node-state.ts';
import type { Supervisor } from '../supervisor/supervisor.ts';

/** Reads of kernel state that are files (src/sys helpers), injectable for tests. */
export interface Host {
  readCmdline(): string;
  findStateDevice(): string | null;
  readMounts(): Array<{ source: string; target: string; fstype: string; options: string }>;
  exists(path: string): boolean;
}

export interface Paths {
  initLog: string;
  k3sLog: string;
  bootModules: string;
  etcSeed: string;
}

export interface BootContext {
  readonly sys: Sys;
  readonly host: Host;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly log: Logger;
  readonly node: NodeState;
  readonly supervisor: Supervisor;
  readonly initLog: MemoryThenFile;
  readonly paths: Paths;
  readonly prompt: BootPrompt;
  /** Learns each secret the boot reads, so no log line or answer carries it. */
  readonly secrets: Pick<SecretScrubber, 'add' | 'addConfig'>;
  /** Hands a long-running owner (the network) to the shutdown ladder, stopped after the services. */
  readonly own: (name: string, stop: () => Promise<void>) => void;
  /** The console's log filter, set from the command line and config once they are read. */
  readonly consoleLog?: { setLevel(level: ConsoleLogLevel): void };
}

export interface Task {
  /** A verb phrase: mountApiFilesystems, loadBootModules. */
  readonly name: string;
  run(ctx: BootContext, log: Logger): Promise<void> | void;
}

/** A boot phase (not a config phase: those are src/config/phases.ts's ConfigPhase). */
export interface Phase {
  /** A short noun: earlyMounts, network. */
  readonly name: string;
  readonly tasks: readonly Task[];
  /** Tasks are independent and run together. */
  readonly concurrent?: boolean;
}

export const task = (name: string, run: Task['run']): Task => ({ name, run });
