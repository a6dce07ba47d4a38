// The few kernel command-line words PID 1 itself needs before any config is
// loaded. The full k3os.* parser (quotes, repeats into lists) belongs to the
// config (src/config); this one reads keys from the same kernel-style split.
import { tokenizeCmdline } from '../config/cmdline.ts';

export type Cmdline = ReadonlyMap<string, readonly string[]>;

/** Splits on whitespace, honouring double quotes; `key` alone means "true". */
export function parseCmdline(text: string): Cmdline {
  const words = tokenizeCmdline(text);
  const out = new Map<string, string[]>();
  for (const w of words) {
    if (w === '--') break;
    const eq = w.indexOf('=');
    const key = eq < 0 ? w : w.slice(0, eq);
    const value = eq < 0 ? 'true' : w.slice(eq + 1);
    const list = out.get(key) ?? [];
    list.push(value);
    out.set(key, list);
  }
  return out;
}

/** Last value wins, as the kernel does for its own parameters. */
export function cmdlineValue(c: Cmdline, key: string): string | undefined {
  const v = c.get(key);
  return v === undefined ? undefined : v[v.length - 1];
}

export interface InitCmdline {
  /** k3os.mode=..., or 'recovery' for a bare `rescue`. */
  mode?: string;
  /**
   * TEST-ONLY: `k3os_test.fail_stage=<phase>` makes the runner throw before
   * that phase, so tests can prove a failing stage ends in recovery.
   */
  failStage?: string;
  /** `console=` devices in order (ttyS0,115200 -> ttyS0). */
  consoles: string[];
}

export function readInitCmdline(c: Cmdline): InitCmdline {
  const mode = cmdlineValue(c, 'k3os.mode') ?? (c.has('rescue') ? 'recovery' : undefined);
  return {
    ...(mode !== undefined ? { mode } : {}),
    ...optional('failStage', cmdlineValue(c, 'k3os_test.fail_stage')),
    consoles: (c.get('console') ?? []).map((v) => v.split(',')[0] ?? v).filter((v) => v !== ''),
  };
}

function optional<K extends string>(key: K, v: string | undefined): Partial<Record<K, string>> {
  return v === undefined ? {} : ({ [key]: v } as Record<K, string>);
}
