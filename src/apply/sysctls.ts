// Sysctls written to /proc/sys: first the image's defaults from
// /etc/sysctl.d/*.conf (k3OS's 00-k3os.conf, applied by openrc there), then
// k3os.sysctls and the console_log_level extension, so the config wins.
// Each key is its own outcome: one unknown sysctl does not stop the others;
// a default the kernel lacks is skipped, as `sysctl -e --system` does.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { K3OSConfig } from '../config/schema.ts';
import type { ApplyContext, StepOutcome } from './context.ts';
import { applied, failed, skipped } from './context.ts';
import { under } from './files.ts';

/** sysctl.conf lines: "key = value", comments with # or ;, a leading - means ignore errors. */
export const parseSysctlConf = (text: string): Array<[string, string]> =>
  text.split('\n').flatMap((raw) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) return [];
    const eq = line.indexOf('=');
    if (eq < 0) return [];
    return [[line.slice(0, eq).trim().replace(/^-/, ''), line.slice(eq + 1).trim()] as [string, string]];
  });

const readDefaults = async (root: string): Promise<Array<[string, string]>> => {
  const dir = under(root, '/etc/sysctl.d');
  let names: string[];
  try {
    names = (await fs.readdir(dir)).filter((n) => n.endsWith('.conf')).sort();
  } catch {
    return [];
  }
  const out: Array<[string, string]> = [];
  for (const n of names) out.push(...parseSysctlConf(await fs.readFile(path.join(dir, n), 'utf8')));
  return out;
};

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
  const defaults = await readDefaults(ctx.root);
  const writes = sysctlWrites(config);
  if (writes.length === 0 && defaults.length === 0) return [skipped('no sysctls configured')];
  const proc = ctx.procDir ?? '/proc';
  const out: StepOutcome[] = [];
  for (const [i, [key, value]] of [...defaults, ...writes].entries()) {
    const isDefault = i < defaults.length;
    try {
      await fs.writeFile(path.join(proc, 'sys', sysctlPath(key)), value);
      out.push(applied(`${key} = ${value}${isDefault ? ' (default)' : ''}`));
    } catch (e) {
      if (isDefault && (e as NodeJS.ErrnoException).code === 'ENOENT') out.push(skipped(`${key}: not in this kernel (default)`));
      else out.push(failed(`sysctl ${key}`, e));
    }
  }
  return out;
};
