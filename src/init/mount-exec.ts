// Carries out what mounts.ts plans: directories made, filesystems mounted in
// order, and /etc filled from the image's seed.
import fs from 'node:fs';
import type { Sys } from '../sys/types.ts';
import type { Logger } from './log/logger.ts';
import type { PlannedMount } from './mounts.ts';

// errnos that mean "this kernel has no such filesystem or mountpoint":
// acceptable only for mounts the plan marks optional.
const MISSING = new Set(['ENODEV', 'ENOENT']);

export function ensureDir(dir: string, log: Logger): void {
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    // A read-only parent is fine if the directory is already there.
    if (code === 'EROFS' && fs.existsSync(dir)) return;
    log.warn({ err, path: dir }, `mkdir ${dir} failed`);
  }
}

/** Mounts in order; EBUSY means already mounted (one errno, decided here). */
export function applyMounts(sys: Pick<Sys, 'mount'>, log: Logger, mounts: readonly PlannedMount[]): void {
  for (const p of mounts) {
    const { spec } = p;
    const remount = spec.flags.includes('remount') || spec.flags.includes('private');
    if (!remount) ensureDir(spec.target, log);
    if (spec.fstype === 'overlay' && spec.data) {
      for (const key of ['upperdir', 'workdir']) {
        const m = new RegExp(`${key}=([^,]+)`).exec(spec.data);
        if (m?.[1]) ensureDir(m[1], log);
      }
    }
    if (spec.flags.includes('bind') && !remount && spec.source.startsWith('/')) ensureDir(spec.source, log);
    try {
      sys.mount(spec);
      log.debug({ target: spec.target, fstype: spec.fstype, flags: spec.flags }, `mounted ${spec.target}`);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? '';
      if (code === 'EBUSY') {
        log.debug({ target: spec.target }, `${spec.target} already mounted`);
        continue;
      }
      if (p.optional && MISSING.has(code)) {
        log.info({ target: spec.target, code }, `${spec.fstype} not available (${code}), ${spec.target} skipped`);
        continue;
      }
      throw err;
    }
  }
}

/** /etc is a fresh tmpfs each boot: the image's seed is copied in, symlinks as they are. */
export function seedEtc(seed: string): void {
  fs.cpSync(seed, '/etc', { recursive: true, verbatimSymlinks: true, force: true });
}
