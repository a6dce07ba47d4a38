// A pino destination that prints short human lines on the console writer, filtered
// by the console log level. The full JSON goes to /var/log/k3os/init.log elsewhere.
import type { ConsoleLogLevel } from './settings.ts';
import type { ConsoleWriter } from './writer.ts';

const LEVEL_VALUES: Record<ConsoleLogLevel, number> = {
  trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: Infinity,
};
const LEVEL_LABELS: Record<number, string> = { 10: 'trace', 20: 'debug', 40: 'warn', 50: 'error', 60: 'fatal' };

export function levelValue(level: ConsoleLogLevel): number {
  return LEVEL_VALUES[level];
}

// Context worth a glance on a console; everything else stays in the JSON log.
const SHOWN_KEYS = ['phase', 'task', 'service', 'pid', 'ms', 'code', 'path'] as const;

/** One pino record -> one console line: `k3os-init: [warn] message (phase=network ms=12)`. */
export function formatConsoleRecord(rec: Record<string, unknown>, prefix = 'k3os-init'): string {
  const level = typeof rec.level === 'number' ? LEVEL_LABELS[rec.level] : undefined;
  const err = rec.err as { message?: unknown } | undefined;
  let msg = typeof rec.msg === 'string' ? rec.msg : '';
  if (err && typeof err.message === 'string' && !msg.includes(err.message)) msg = msg ? `${msg}: ${err.message}` : err.message;
  const ctx = SHOWN_KEYS.filter((k) => rec[k] !== undefined && rec[k] !== null)
    .map((k) => `${k}=${String(rec[k])}`);
  // A log line must not move the cursor or clear the screen of whoever watches the console.
  const line = `${prefix}: ${level ? `[${level}] ` : ''}${msg}${ctx.length ? ` (${ctx.join(' ')})` : ''}`;
  return line.replace(/[\x00-\x08\x0b-\x1f\x7f]/g, '?');
}

export interface ConsoleLogStream {
  write(chunk: string): void;
  setLevel(level: ConsoleLogLevel): void;
}

/** For `pino({ level: 'trace' }, stream)`, or one entry of pino.multistream. */
export function createConsoleLogStream(
  writer: Pick<ConsoleWriter, 'writeLine'>,
  level: ConsoleLogLevel,
  prefix = 'k3os-init',
): ConsoleLogStream {
  let min = levelValue(level);
  return {
    write(chunk) {
      for (const text of chunk.split('\n')) {
        if (text === '') continue;
        let rec: Record<string, unknown>;
        try { rec = JSON.parse(text) as Record<string, unknown>; } catch { writer.writeLine(text); continue; }
        if (typeof rec.level === 'number' && rec.level < min) continue;
        writer.writeLine(formatConsoleRecord(rec, prefix));
      }
    },
    setLevel(next) { min = levelValue(next); },
  };
}
