// What every applier gets, and what it gives back. Appliers reach the kernel
// only through `sys`, files only under `root` (so ns tests run against a temp
// dir), and processes only through the injected `run` (PID 1 never uses
// child_process: init passes a runner built on sys.spawn and the reaper).
import type { ConfigPhase, Step } from '../config/phases.ts';
import type { ExitStatus, Sys } from '../sys/types.ts';

export interface ApplyLog {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
}

export interface ApplyContext {
  /** Only hostname and modules need the kernel; the rest is files. */
  sys: Pick<Sys, 'sethostname' | 'loadModule'>;
  /** Prefix for every file path ("/" on a node). */
  root: string;
  log: ApplyLog;
  /** Runs argv to completion; init builds it on sys.spawn + the reaper. */
  run(argv: readonly string[]): Promise<ExitStatus>;
  /** Where /proc is: sysctls and loaded modules are the running kernel's, not root's. Default "/proc". */
  procDir?: string;
  /** `uname -r`, to find /lib/modules/<release>. Default os.release(). */
  kernelRelease?: string;
  /** For ssh keys from github:/gitlab:/URLs. Default globalThis.fetch. */
  fetch?: typeof globalThis.fetch;
  /** Delay between fetch retries. */
  delay?(ms: number): Promise<void>;
}

export interface StepOutcome {
  status: 'applied' | 'skipped' | 'failed';
  /** What was done, in words: "hostname node-1", "/etc/foo (0600)". */
  detail: string;
  error?: Error;
}

export interface ReportEntry extends StepOutcome {
  phase: ConfigPhase;
  step: Step;
}

export interface PhaseReport {
  phase: ConfigPhase;
  entries: ReportEntry[];
  /** Every failure of the phase; empty when all went well. */
  errors: Error[];
}

export const applied = (detail: string): StepOutcome => ({ status: 'applied', detail });
export const skipped = (detail: string): StepOutcome => ({ status: 'skipped', detail });
export const failed = (detail: string, error: unknown): StepOutcome => ({
  status: 'failed', detail, error: error instanceof Error ? error : new Error(String(error)),
});
