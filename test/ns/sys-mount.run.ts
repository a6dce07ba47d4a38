// Mount scenarios, run inside `unshare --mount --propagation private` by
// test/ns/sys-addon.test.ts; prints its findings as JSON.
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { createLinuxSys } from '../../src/sys/linux.ts';

const sys = createLinuxSys();

/** Options of the mount at `target` from /proc/self/mountinfo, or null. */
function mountAt(target: string): { fstype: string; options: string[]; super: string[] } | null {
  for (const line of readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) {
    const fields = line.split(' ');
    if (fields[4] !== target) continue;
    const sep = fields.indexOf('-');
    return { fstype: fields[sep + 1] ?? '', options: (fields[5] ?? '').split(','), super: (fields[sep + 3] ?? '').split(',') };
  }
  return null;
}

function errorOf(fn: () => unknown): Record<string, unknown> | null {
  try {
    fn();
    return null;
  } catch (error) {
    const { code, errno, syscall, path, message } = error as NodeJS.ErrnoException;
    return { code, errno, syscall, path, message };
  }
}

const dir = mkdtempSync(join(tmpdir(), 'k3os-mnt-'));
try {
  sys.mount({ source: 'k3os-test', target: dir, fstype: 'tmpfs', flags: ['nosuid', 'nodev'], data: 'size=1m,mode=0750' });
  const mounted = mountAt(dir);
  writeFileSync(join(dir, 'file'), 'x');

  const fd = openSync(join(dir, 'file'), 'r');
  const busy = errorOf(() => sys.umount(dir));
  closeSync(fd);

  sys.mount({ source: '', target: dir, fstype: '', flags: ['remount', 'rdonly', 'nosuid', 'nodev'] });
  const readOnly = errorOf(() => writeFileSync(join(dir, 'other'), 'y'));

  sys.umount(dir);
  const afterUmount = mountAt(dir);
  const umountAgain = errorOf(() => sys.umount(dir));
  const badFs = errorOf(() => sys.mount({ source: 'x', target: dir, fstype: 'k3os-nonexistent-fs', flags: [] }));
  const missingTarget = errorOf(() => sys.mount({ source: 'x', target: join(dir, 'missing'), fstype: 'tmpfs', flags: [] }));

  sys.mount({ source: 'k3os-lazy', target: dir, fstype: 'tmpfs', flags: [] });
  const held = openSync(dir, 'r');
  sys.umount(dir, { lazy: true });
  const afterLazy = mountAt(dir);
  closeSync(held);

  process.stdout.write(
    `${JSON.stringify({ dir, mounted, busy, readOnly, afterUmount, umountAgain, badFs, missingTarget, afterLazy })}\n`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
