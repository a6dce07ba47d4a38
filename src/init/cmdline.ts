// The kernel command line, read once at boot into the one value every phase
// reads. A machine's is /proc/cmdline; a container's is K3OS_CMDLINE (the
// host's means nothing to it). The config's own k3os.* keys are read from the
// same text by the config loader (src/config/cmdline.ts), which owns the word
// split both use.
import { cmdlineEntries } from '../config/cmdline.ts';
import { parseConsoles, type ConsoleDevice } from './console/consoles.ts';

export interface BootCmdline {
  /** The text as read, for the config loader. */
  readonly text: string;
  /** k3os.mode=..., or 'recovery' for a bare `rescue`. */
  readonly mode?: string;
  /**
   * TEST-ONLY: `k3os_test.fail_stage=<phase>` makes the runner throw before
   * that phase, so tests can prove a failing stage ends in recovery.
   */
  readonly failStage?: string;
  /** The `console=` devices, the last one the kernel's preferred console. */
  readonly consoles: readonly ConsoleDevice[];
  /** k3os.console_log_level as given; console/settings.ts resolves it against the config's. */
  readonly consoleLogLevel?: string;
  /** k3os.recovery_prompt as given (seconds). */
  readonly recoveryPrompt?: string;
}

export function readBootCmdline(text: string): BootCmdline {
  const values = new Map<string, string[]>();
  for (const { key, value } of cmdlineEntries(text)) {
    // The kernel hands the words after `--` to init as arguments: they are not parameters.
    if (key === '--') break;
    values.set(key, [...(values.get(key) ?? []), value]);
  }
  // Last value wins, as the kernel does for its own parameters.
  const last = (key: string) => values.get(key)?.at(-1);
  const mode = last('k3os.mode') ?? (values.has('rescue') ? 'recovery' : undefined);
  const optional = <K extends string>(k: K, v: string | undefined) => (v === undefined ? {} : { [k]: v } as Record<K, string>);
  return {
    text,
    ...optional('mode', mode),
    ...optional('failStage', last('k3os_test.fail_stage')),
    consoles: parseConsoles(values.get('console') ?? []),
    ...optional('consoleLogLevel', last('k3os.console_log_level')),
    ...optional('recoveryPrompt', last('k3os.recovery_prompt')),
  };
}
