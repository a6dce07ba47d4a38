import type { K3OSConfig } from '../../config/schema.ts';
import type { Sys } from '../../sys/types.ts';
import type { InitCmdline } from '../cmdline.ts';
import type { ConsoleLogLevel } from '../console/settings.ts';
import type { MemoryThenFile } from '../log/file-sink.ts';
import type { Logger } from '../log/logger.ts';
import type { RootSource } from '../mounts.ts';
import type { Seams } from '../seams.ts';
import type { Supervisor } from '../supervisor/supervisor.ts';
import type { Mode, Runtime } from '../types.ts';

/** What boot has learned so far; phases fill it in, sequences read it. */
export interface BootFacts {
  runtime: Runtime;
  rawCmdline: string;
  cmdline: InitCmdline;
  mode?: Mode;
  state: RootSource;
  config?: K3OSConfig;
  k3sPid?: number;
  /** The default route's source address once the network is online: k3s's --node-ip. */
  nodeIp?: string;
  /** Why recovery was entered (failed stage or k3os.mode=recovery). */
  recoveryReason?: string;
  /** The boot stage that failed and its error, when boot dropped to recovery. */
  failure?: { stage: string; error: string };
}

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
  readonly facts: BootFacts;
  readonly supervisor: Supervisor;
  readonly initLog: MemoryThenFile;
  readonly seams: Seams;
  readonly paths: Paths;
  /** The console's log filter, set from the command line and config once they are read. */
  readonly consoleLog?: { setLevel(level: ConsoleLogLevel): void };
}

export interface Task {
  /** A verb phrase: mountApiFilesystems, loadBootModules. */
  readonly name: string;
  run(ctx: BootContext, log: Logger): Promise<void> | void;
}

export interface Phase {
  /** A short noun: earlyMounts, network. */
  readonly name: string;
  readonly tasks: readonly Task[];
  /** Tasks are independent and run together. */
  readonly concurrent?: boolean;
}

export const task = (name: string, run: Task['run']): Task => ({ name, run });
