// write_files: decoded content written atomically with its mode and owner.
// Owners resolve against /etc/passwd and /etc/group inside the root, so a
// name means the node's user, not the build machine's.
import { decodeContent } from '../config/encoding.ts';
import type { K3OSConfig, WriteFile } from '../config/schema.ts';
import type { ApplyContext, StepOutcome } from './context.ts';
import { applied, failed, skipped } from './context.ts';
import { readOptional, under } from './files.ts';
import { writeFileAtomic } from '../lib/atomic-write.ts';
import { resolveOwner } from './users.ts';

export const DEFAULT_PERMISSIONS = '0644';

export const fileMode = (f: WriteFile): number => parseInt(f.permissions || DEFAULT_PERMISSIONS, 8);

export const applyWriteFiles = async (config: K3OSConfig, ctx: ApplyContext): Promise<StepOutcome[]> => {
  const files = config.write_files ?? [];
  if (files.length === 0) return [skipped('no write_files configured')];
  let accounts: { passwd: string; group: string } | undefined;
  const out: StepOutcome[] = [];
  for (const f of files) {
    try {
      const data = decodeContent(f.content ?? '', f.encoding);
      let owner: { uid: number; gid: number } | undefined;
      if (f.owner) {
        accounts ??= {
          passwd: (await readOptional(under(ctx.root, '/etc/passwd'))) ?? '',
          group: (await readOptional(under(ctx.root, '/etc/group'))) ?? '',
        };
        owner = resolveOwner(f.owner, accounts.passwd, accounts.group);
      }
      const mode = fileMode(f);
      await writeFileAtomic(under(ctx.root, f.path), data, { dirMode: 0o755, mode, ...owner });
      out.push(applied(`${f.path} (${mode.toString(8).padStart(4, '0')}${f.owner ? ` ${f.owner}` : ''}, ${data.length} bytes)`));
    } catch (e) {
      out.push(failed(`write_files ${f.path}`, e));
    }
  }
  return out;
};
