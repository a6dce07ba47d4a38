// File reads shared by the appliers: paths under the root prefix, and files
// that may be missing. Writes go through src/lib/atomic-write.ts.
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
