// Finding a filesystem by label on a real block device (a loop device).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

import { EXT4_HEAD_LENGTH, findBlockDeviceByLabel, parseExt4Label } from '../../src/sys/blockdev.ts';

test('an ext4 image made by mkfs.ext4 -L is found by its label on a loop device', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'k3os-blk-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const image = join(dir, 'state.img');
  const label = `K3T${process.pid}`.slice(0, 16);
  execFileSync('mkfs.ext4', ['-q', '-F', '-L', label, image, '4M']);
  assert.equal(parseExt4Label(readFileSync(image).subarray(0, EXT4_HEAD_LENGTH)), label);

  assert.equal(findBlockDeviceByLabel(label), null, 'not attached yet');
  const loop = execFileSync('losetup', ['--find', '--show', image], { encoding: 'utf8' }).trim();
  t.after(() => execFileSync('losetup', ['-d', loop]));
  assert.equal(findBlockDeviceByLabel(label), loop);
  assert.equal(findBlockDeviceByLabel(`${label}-no`), null);
});
