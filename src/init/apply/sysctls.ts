// k3os.sysctls (and the console_log_level extension) written to /proc/sys.
// Each key is its own outcome: one unknown sysctl does not stop the others.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { K3OSConfig } from '../../config/schema.ts';
import type { ApplyContext, StepOutcome } from './context.ts';
import { applied, failed, skipped } from './context.ts';

/** sysctl(8) rules: dots separate levels; a key with slashes is already a path (e.g. interface names with dots). */
export const sysctlPath = (key: string): string => {
  const rel = key.includes('/') ? key : key.replace(/\./g, '/');
  const clean = path.posix.normalize(rel).replace(/^\/+/, '');
  if (clean.startsWith('..') || clean === '.' || clean === '') throw new Error(`sysctl ${key}: not a sysctl name`);
  return clean;
};

export const sysctlWrites = (config: K3OSConfig): Array<[string, string]> => {
  const out: Array<[string, string]> = Object.entries(config.k3os?.sysctls ?? {});
  const level = config.k3os?.console_log_level;
  if (level !== undefined) out.push(['kernel.printk', String(level)]);
  return out;
};

export const applySysctls = async (config: K3OSConfig, ctx: ApplyContext): Promise<StepOutcome[]> => {
  const writes = sysctlWrites(config);
  if (writes.length === 0) return [skipped('no sysctls configured')];
  const proc = ctx.procDir ?? '/proc';
  const out: StepOutcome[] = [];
  for (const [key, value] of writes) {
    try {
      await fs.writeFile(path.join(proc, 'sys', sysctlPath(key)), value);
      out.push(applied(`${key} = ${value}`));
    } catch (e) {
      out.push(failed(`sysctl ${key}`, e));
    }
  }
  return out;
};
