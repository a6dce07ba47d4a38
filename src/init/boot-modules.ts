// The kernel modules the image lists for boot (virtio_blk and what finding
// the state disk needs): one absolute .ko path per line, # comments. Each is
// best effort: a missing driver must not stop the boot.
import { readFile } from 'node:fs/promises';
import type { Sys } from '../sys/types.ts';
import type { Logger } from './log/logger.ts';

export function parseModuleList(text: string): string[] {
  return text.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
}

export async function loadBootModules(list: string, sys: Pick<Sys, 'loadModule'>, log: Logger): Promise<void> {
  let text: string;
  try {
    text = await readFile(list, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      log.info(`no ${list}`);
      return;
    }
    throw err;
  }
  let loaded = 0;
  for (const path of parseModuleList(text)) {
    try {
      sys.loadModule(path, '');
      loaded++;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') continue;
      log.warn({ err, path }, `module ${path} not loaded: ${code ?? (err as Error).message}`);
    }
  }
  log.info({ loaded }, `${loaded} boot modules loaded`);
}
