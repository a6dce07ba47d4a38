import { readFileSync } from 'node:fs';

/** The kernel command line, as one string (parsing lives in src/config). */
export function readCmdline(path: string = '/proc/cmdline'): string {
  return readFileSync(path, 'utf8').trim();
}
