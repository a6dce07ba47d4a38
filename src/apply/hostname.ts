// hostname: sethostname(2), /etc/hostname, and the 127.0.1.1 line of
// /etc/hosts (added when missing, so the name always resolves locally).
import type { K3OSConfig } from '../config/schema.ts';
import type { ApplyContext, StepOutcome } from './context.ts';
import { applied, skipped } from './context.ts';
import { readOptional, under } from './files.ts';
import { writeFileAtomic } from '../lib/atomic-write.ts';

export const hostsWithName = (hosts: string | undefined, name: string): string => {
  const lines = (hosts ?? '127.0.0.1 localhost\n::1 localhost\n').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  let found = false;
  const out = lines.map((line) => {
    if (line.trim().split(/\s+/)[0] !== '127.0.1.1') return line;
    found = true;
    return `127.0.1.1 ${name}`;
  });
  if (!found) out.push(`127.0.1.1 ${name}`);
  return `${out.join('\n')}\n`;
};

/** The name everywhere it lives; also for a name the network chose (DHCP, saved, random). */
export const setHostname = async (sys: Pick<ApplyContext['sys'], 'sethostname'>, root: string, name: string): Promise<void> => {
  sys.sethostname(name);
  await writeFileAtomic(under(root, '/etc/hostname'), `${name}\n`, { dirMode: 0o755, mode: 0o644 });
  const hostsPath = under(root, '/etc/hosts');
  await writeFileAtomic(hostsPath, hostsWithName(await readOptional(hostsPath), name), { dirMode: 0o755, mode: 0o644 });
};

export const applyHostname = async (config: K3OSConfig, ctx: ApplyContext): Promise<StepOutcome[]> => {
  const name = config.hostname;
  if (!name) return [skipped('no hostname configured')];
  await setHostname(ctx.sys, ctx.root, name);
  return [applied(`hostname ${name}`)];
};
