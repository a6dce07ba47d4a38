// k3os.password for the rancher user, into /etc/shadow. A value starting
// with "$" is already a crypt hash (k3OS passed it to `chpasswd -e`);
// anything else is clear text and is hashed with SHA-512 crypt.
import type { K3OSConfig } from '../config/schema.ts';
import type { ApplyContext, StepOutcome } from './context.ts';
import { applied, skipped } from './context.ts';
import { readOptional, under } from './files.ts';
import { writeFileAtomic } from '../lib/atomic-write.ts';
import { sha512Crypt } from '../config/sha512-crypt.ts';

export const PASSWORD_USER = 'rancher';

export const passwordHash = (password: string): string => (password.startsWith('$') ? password : sha512Crypt(password));

/** Shadow text with the user's password field set; a missing user gets a line. */
export const shadowWithPassword = (shadow: string | undefined, user: string, hash: string): string => {
  if (/[:\n]/.test(hash)) throw new Error(`password for ${user}: a hash must not contain ':' or a newline`);
  const lines = (shadow ?? '').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  let found = false;
  const out = lines.map((line) => {
    const cols = line.split(':');
    if (cols[0] !== user || cols.length < 2) return line;
    found = true;
    cols[1] = hash;
    return cols.join(':');
  });
  if (!found) out.push(`${user}:${hash}:1:0:99999:7:::`);
  return `${out.join('\n')}\n`;
};

/** /etc/shadow is written only here: 0640 and root's group, as on Debian, where the image has no shadow group. */
export const writeShadow = (file: string, text: string): Promise<void> => writeFileAtomic(file, text, { dirMode: 0o755, mode: 0o640 });

export const applyPassword = async (config: K3OSConfig, ctx: ApplyContext): Promise<StepOutcome[]> => {
  const password = config.k3os?.password;
  if (!password) return [skipped('no password configured')];
  const file = under(ctx.root, '/etc/shadow');
  await writeShadow(file, shadowWithPassword(await readOptional(file), PASSWORD_USER, passwordHash(password)));
  return [applied(`password of ${PASSWORD_USER} (${password.startsWith('$') ? 'hash given' : 'hashed with SHA-512 crypt'})`)];
};
