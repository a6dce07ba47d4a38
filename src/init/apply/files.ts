// File effects shared by the appliers: paths under the root prefix, and
// atomic writes (temp file in the same directory, fsync, rename) so a crash
// never leaves half a file behind.
import { promises as fs } from 'node:fs';
import path from 'node:path';

export const under = (root: string, p: string): string => path.join(root, path.resolve('/', p));

export const readOptional = async (file: string): Promise<string | undefined> => {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
};

export interface WriteOptions { mode: number; uid?: number; gid?: number }

// Unique among writers: 'wx' below refuses a name another process (or a concurrent write) holds.
let tmpSeq = 0;

export const writeAtomic = async (file: string, data: string | Uint8Array, opts: WriteOptions): Promise<void> => {
  const dir = path.dirname(file);
  await fs.mkdir(dir, { recursive: true, mode: 0o755 });
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${++tmpSeq}.tmp`);
  const fh = await fs.open(tmp, 'wx', 0o600);
  try {
    await fh.writeFile(data);
    // chmod after open: the umask must not narrow the requested mode.
    await fh.chmod(opts.mode);
    if (opts.uid !== undefined || opts.gid !== undefined) await fh.chown(opts.uid ?? -1, opts.gid ?? -1);
    await fh.sync();
  } catch (e) {
    await fh.close();
    await fs.rm(tmp, { force: true });
    throw e;
  }
  await fh.close();
  try {
    await fs.rename(tmp, file);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
};
