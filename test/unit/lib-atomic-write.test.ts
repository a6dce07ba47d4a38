import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { writeFileAtomic } from '../../src/lib/atomic-write.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'atomic-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('writeFileAtomic', () => {
  it('replaces a file whole with the requested mode, whatever the umask', async () => {
    const file = path.join(dir, 'a.txt');
    writeFileSync(file, 'old');
    const umask = process.umask(0o077);
    try {
      await writeFileAtomic(file, 'new', { mode: 0o644 });
    } finally {
      process.umask(umask);
    }
    assert.equal(readFileSync(file, 'utf8'), 'new');
    assert.equal(statSync(file).mode & 0o777, 0o644);
  });

  it('makes the directory only when asked, with the given mode', async () => {
    const file = path.join(dir, 'sub', 'deeper', 'b');
    await assert.rejects(writeFileAtomic(file, 'x', { mode: 0o600 }), { code: 'ENOENT' });
    await writeFileAtomic(file, 'x', { mode: 0o600, dirMode: 0o700 });
    assert.equal(statSync(path.dirname(file)).mode & 0o777, 0o700);
  });

  it('leaves no temp file behind, and the old file intact, when the rename fails', async () => {
    const target = path.join(dir, 'is-a-dir');
    await writeFileAtomic(path.join(target, 'inner'), 'keep', { mode: 0o600, dirMode: 0o755 });
    await assert.rejects(writeFileAtomic(target, 'x', { mode: 0o600 }));
    assert.deepEqual(readdirSync(dir).filter((n) => n.endsWith('.tmp')), []);
    assert.equal(readFileSync(path.join(target, 'inner'), 'utf8'), 'keep');
  });

  it('sets the owner when asked', async () => {
    const file = path.join(dir, 'owned');
    await writeFileAtomic(file, 'x', { mode: 0o600, uid: 1000, gid: 1000 });
    assert.deepEqual([statSync(file).uid, statSync(file).gid], [1000, 1000]);
  });
});
