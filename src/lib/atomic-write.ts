// The one way a file is replaced on a node: a power cut at any moment leaves
// the old file or the new one, whole, with its mode and owner, never half of it.
import { promises as fs } from 'node:fs';
import path from 'node:path';

export interface AtomicWriteOptions {
  mode: number;
  uid?: number;
  gid?: number;
  /** Made (recursively) with this mode when the directory is missing. */
  dirMode?: number;
}

// Unique among writers: 'wx' below refuses a name another process (or a concurrent write) holds.
let tmpSeq = 0;

/** Temp file in the same directory, write, chmod/chown, fsync, rename, fsync of the directory. */
export async function writeFileAtomic(file: string, data: string | Uint8Array, opts: AtomicWriteOptions): Promise<void> {
  const dir = path.dirname(file);
  if (opts.dirMode !== undefined) await fs.mkdir(dir, { recursive: true, mode: opts.dirMode });
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${++tmpSeq}.tmp`);
  const fh = await fs.open(tmp, 'wx', 0o600);
  try {
    await fh.writeFile(data);
    // chmod after open: the umask must not narrow the requested mode.
    await fh.chmod(opts.mode);
    if (opts.uid !== undefined || opts.gid !== undefined) await fh.chown(opts.uid ?? -1, opts.gid ?? -1);
    await fh.sync();
    await fh.close();
    await fs.rename(tmp, file);
  } catch (e) {
    await fh.close().catch(() => undefined);
    await fs.rm(tmp, { force: true });
    throw e;
  }
  await syncDirectory(dir);
}

/** Makes a rename or create in dir durable. */
export async function syncDirectory(dir: string): Promise<void> {
  const dh = await fs.open(dir, 'r');
  try { await dh.sync(); } finally { await dh.close(); }
}
