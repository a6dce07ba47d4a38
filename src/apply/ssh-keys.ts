// ssh_authorized_keys for the rancher user: keys are appended to
// ~rancher/.ssh/authorized_keys, never duplicated. github:USER, gitlab:USER
// and http(s) URLs are fetched in the runtime phase only (the boot phase has
// no network, as in k3OS), with bounded retries because the network may be
// up before DNS is.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { K3OSConfig } from '../config/schema.ts';
import type { ApplyContext, StepOutcome } from './context.ts';
import { applied, failed, skipped } from './context.ts';
import { readOptional, under } from './files.ts';
import { writeFileAtomic } from '../lib/atomic-write.ts';
import { parsePasswd } from './users.ts';

export const SSH_USER = 'rancher';
export const FETCH_ATTEMPTS = 10;
export const FETCH_RETRY_MS = 1000;
export const FETCH_TIMEOUT_MS = 10_000;

/** The URL to fetch for a remote key source, or undefined for a literal key. */
export const keySourceUrl = (key: string): string | undefined => {
  const m = /^(github|gitlab):([A-Za-z0-9][A-Za-z0-9_.-]*)$/.exec(key.trim());
  if (m) return `https://${m[1]}.com/${m[2]}.keys`;
  if (/^https?:\/\/\S+$/.test(key.trim())) return key.trim();
  return undefined;
};

/** authorized_keys text with the keys appended that are not already there. */
export const appendKeys = (existing: string, keys: readonly string[]): { text: string; added: number } => {
  const present = new Set(existing.split('\n').map((l) => l.trim()).filter((l) => l !== ''));
  let text = existing === '' || existing.endsWith('\n') ? existing : `${existing}\n`;
  let added = 0;
  for (const k of keys.map((x) => x.trim())) {
    if (k === '' || k.startsWith('#') || present.has(k)) continue;
    present.add(k);
    text += `${k}\n`;
    added++;
  }
  return { text, added };
};

const fetchKeys = async (url: string, ctx: ApplyContext): Promise<string[]> => {
  const doFetch = ctx.fetch ?? globalThis.fetch;
  const delay = ctx.delay ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  let last: unknown;
  for (let attempt = 1; attempt <= FETCH_ATTEMPTS; attempt++) {
    try {
      const res = await doFetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
      if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
      return (await res.text()).split('\n');
    } catch (e) {
      last = e;
      // A 4xx will not get better by waiting.
      if (e instanceof Error && /HTTP 4\d\d$/.test(e.message)) break;
      if (attempt < FETCH_ATTEMPTS) await delay(FETCH_RETRY_MS);
    }
  }
  throw last instanceof Error ? last : new Error(String(last));
};

export const applySshKeys = async (config: K3OSConfig, ctx: ApplyContext, withNetwork: boolean): Promise<StepOutcome[]> => {
  const keys = config.ssh_authorized_keys ?? [];
  if (keys.length === 0) return [skipped('no ssh_authorized_keys configured')];
  const user = parsePasswd((await readOptional(under(ctx.root, '/etc/passwd'))) ?? '').find((u) => u.name === SSH_USER);
  if (!user) throw new Error(`ssh_authorized_keys: no user ${SSH_USER} in /etc/passwd`);
  const out: StepOutcome[] = [];
  const literal: string[] = [];
  for (const key of keys) {
    const url = keySourceUrl(key);
    if (!url) { literal.push(key); continue; }
    if (!withNetwork) { out.push(skipped(`${key}: fetched in the runtime phase`)); continue; }
    try {
      literal.push(...(await fetchKeys(url, ctx)));
    } catch (e) {
      out.push(failed(`ssh keys from ${key}`, e));
    }
  }
  const sshDir = under(ctx.root, path.posix.join(user.home, '.ssh'));
  await fs.mkdir(sshDir, { recursive: true, mode: 0o700 });
  await fs.chown(sshDir, user.uid, user.gid);
  const file = path.join(sshDir, 'authorized_keys');
  const { text, added } = appendKeys((await readOptional(file)) ?? '', literal);
  if (added > 0) await writeFileAtomic(file, text, { dirMode: 0o755, mode: 0o600, uid: user.uid, gid: user.gid });
  out.push(added > 0 ? applied(`${added} key(s) added for ${SSH_USER}`) : skipped(`keys for ${SSH_USER} already present`));
  return out;
};
