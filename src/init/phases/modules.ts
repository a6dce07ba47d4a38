import fs from 'node:fs';
import { task, type Phase } from './types.ts';

/** Parses the boot-modules list: one absolute .ko path per line, # comments. */
export function parseModuleList(text: string): string[] {
  return text.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
}

/** Each module is best effort: a missing driver must not stop the boot. */
const loadBootModules = task('loadBootModules', (ctx, log) => {
  let text: string;
  try {
    text = fs.readFileSync(ctx.paths.bootModules, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      log.info(`no ${ctx.paths.bootModules}`);
      return;
    }
    throw err;
  }
  let loaded = 0;
  for (const path of parseModuleList(text)) {
    try {
      ctx.sys.loadModule(path, '');
      loaded++;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') continue;
      log.warn({ err, path }, `module ${path} not loaded: ${code ?? (err as Error).message}`);
    }
  }
  log.info({ loaded }, `${loaded} boot modules loaded`);
});

export const modules: Phase = { name: 'modules', tasks: [loadBootModules] };
