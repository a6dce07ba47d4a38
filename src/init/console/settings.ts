// Console behaviour chosen on the kernel command line (and, for the log level, config).
import type { BootCmdline } from '../cmdline.ts';
import { requestedMode } from '../mode.ts';

export const CONSOLE_LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type ConsoleLogLevel = (typeof CONSOLE_LOG_LEVELS)[number];

export const CONSOLE_DEFAULTS = {
  logLevel: 'info' as ConsoleLogLevel,
  /** How long the boot prompt waits for a key; short so it hides inside the early stages. */
  recoveryPromptMs: 1000,
  maxPromptMs: 30_000,
};

export interface SettingWarning { code: string; message: string }

export interface ConsoleSettings {
  logLevel: ConsoleLogLevel;
  recoveryPromptMs: number;
  /** k3os.mode=recovery|rescue|shell, or a bare `rescue` word, as k3OS accepted. */
  recoveryRequested: boolean;
  warnings: SettingWarning[];
}

function isLevel(v: string): v is ConsoleLogLevel {
  return (CONSOLE_LOG_LEVELS as readonly string[]).includes(v);
}

/**
 * The config's k3os.console_log_level is the kernel's console loglevel (0-8: messages
 * below it reach the console), and the same key on the command line reaches both the
 * kernel setting and PID 1, so a number means the same threshold for PID 1's lines.
 */
const PRINTK_LEVELS: readonly ConsoleLogLevel[] = ['silent', 'fatal', 'fatal', 'fatal', 'error', 'warn', 'info', 'info', 'debug'];

export function printkToLevel(n: number): ConsoleLogLevel | undefined {
  return Number.isInteger(n) ? PRINTK_LEVELS[n] : undefined;
}

/**
 * The console log level: the kernel argument wins over config, because it is how an
 * operator gets more detail from a node whose config cannot be trusted.
 */
export function resolveConsoleLogLevel(
  fromCmdline: string | undefined,
  fromConfig: string | number | undefined,
  warnings: SettingWarning[] = [],
): ConsoleLogLevel {
  for (const [source, value] of [['kernel command line k3os.console_log_level', fromCmdline], ['config k3os.console_log_level', fromConfig]] as const) {
    if (value === undefined || value === '') continue;
    const v = String(value).toLowerCase();
    if (isLevel(v)) return v;
    const printk = /^\d+$/.test(v) ? printkToLevel(Number(v)) : undefined;
    if (printk) return printk;
    warnings.push({
      code: 'K3OS_CONSOLE_LOG_LEVEL',
      message: `${source}: "${value}" is not a log level; use one of ${CONSOLE_LOG_LEVELS.join(', ')} or a kernel loglevel 0-8 (using ${CONSOLE_DEFAULTS.logLevel})`,
    });
  }
  return CONSOLE_DEFAULTS.logLevel;
}

/** Seconds, like every k3OS duration on the command line ("1", "1.5", "0" disables). */
export function parsePromptSeconds(value: string | undefined, warnings: SettingWarning[] = []): number {
  if (value === undefined) return CONSOLE_DEFAULTS.recoveryPromptMs;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) {
    warnings.push({
      code: 'K3OS_RECOVERY_PROMPT',
      message: `kernel command line k3os.recovery_prompt: "${value}" is not a number of seconds >= 0 (using ${CONSOLE_DEFAULTS.recoveryPromptMs / 1000})`,
    });
    return CONSOLE_DEFAULTS.recoveryPromptMs;
  }
  return Math.min(Math.round(n * 1000), CONSOLE_DEFAULTS.maxPromptMs);
}

export function recoveryRequested(cmdline: Pick<BootCmdline, 'mode'>): boolean {
  return cmdline.mode !== undefined && requestedMode(cmdline.mode) === 'recovery';
}

export function consoleSettings(cmdline: BootCmdline, config: { consoleLogLevel?: string | number } = {}): ConsoleSettings {
  const warnings: SettingWarning[] = [];
  return {
    logLevel: resolveConsoleLogLevel(cmdline.consoleLogLevel, config.consoleLogLevel, warnings),
    recoveryPromptMs: parsePromptSeconds(cmdline.recoveryPrompt, warnings),
    recoveryRequested: recoveryRequested(cmdline),
    warnings,
  };
}
