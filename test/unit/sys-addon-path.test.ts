import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';

import { findAddon } from '../../src/sys/addon.ts';

test('addon lookup: K3OS_ADDON, then beside the running file, then the repository build', (t) => {
  const root = mkdtempSync(join(tmpdir(), 'k3os-addon-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const repoBuild = join(root, 'native', 'build', 'Release');
  mkdirSync(repoBuild, { recursive: true });
  mkdirSync(join(root, 'dist'));
  const bundle = pathToFileURL(join(root, 'dist', 'init.cjs')).href;

  assert.equal(findAddon({}, bundle), null);
  writeFileSync(join(repoBuild, 'k3os.node'), '');
  assert.equal(findAddon({}, bundle), join(repoBuild, 'k3os.node'));
  writeFileSync(join(root, 'dist', 'k3os.node'), '');
  assert.equal(findAddon({}, bundle), join(root, 'dist', 'k3os.node'));
  assert.equal(findAddon({ K3OS_ADDON: '/opt/x.node' }, bundle), '/opt/x.node');
});
