// k3os.environment merged into /etc/environment (KEY="value" lines), which
// k3s and the boot processes read. Existing variables are kept unless the
// config sets them, as k3OS did.

import type { K3OSConfig } from '../config/schema.ts';
import type { ApplyContext, StepOutcome } from './context.ts';
import { applied, skipped } from './context.ts';
import { readOptional, under } from './files.ts';
import { writeFileAtomic } from '../lib/atomic-write.ts';

export const parseEnvironment = (text: string): Map<string, string> => {
  const env = new Map<string, string>();
  for (const raw of text.split('\n')) {
    let line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    if (line.startsWith('export ')) line = line.slice(7).trim();
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const key = line.slice(0, eq);
    let value = line.slice(eq + 1);
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
      try { value = JSON.parse(value) as string; } catch { value = value.slice(1, -1); }
    } else if (value.length >= 2 && value.startsWith("'") && value.endsWith("'")) {
      value = value.slice(1, -1);
    }
    env.set(key, value);
  }
  return env;
};

export const renderEnvironment = (env: ReadonlyMap<string, string>): string =>
  [...env].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => `${k}=${JSON.stringify(v)}\n`).join('');

export const applyEnvironment = async (config: K3OSConfig, ctx: ApplyContext): Promise<StepOutcome[]> => {
  const vars = Object.entries(config.k3os?.environment ?? {});
  if (vars.length === 0) return [skipped('no environment configured')];
  const file = under(ctx.root, '/etc/environment');
  const env = parseEnvironment((await readOptional(file)) ?? '');
  for (const [k, v] of vars) env.set(k, v);
  await writeFileAtomic(file, renderEnvironment(env), { dirMode: 0o755, mode: 0o644 });
  return [applied(`/etc/environment: ${vars.map(([k]) => k).join(', ')}`)];
};
