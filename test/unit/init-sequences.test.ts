import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bootSequence, phaseNames } from '../../src/init/sequences.ts';

test('machine boot per mode', () => {
  const names = (mode?: Parameters<typeof bootSequence>[0]['mode']) => phaseNames(bootSequence({ runtime: 'machine', ...(mode ? { mode } : {}) }));
  const normal = ['earlyMounts', 'modules', 'mode', 'root', 'config', 'network', 'services'];
  assert.deepEqual(names(), normal);
  assert.deepEqual(names('live'), normal);
  assert.deepEqual(names('disk'), normal);
  assert.deepEqual(names('local'), normal);
  assert.deepEqual(names('recovery'), ['earlyMounts', 'modules', 'mode', 'root', 'recovery']);
  assert.deepEqual(names('install'), ['earlyMounts', 'modules', 'mode', 'root', 'config', 'network', 'install']);
});

test('a container loads no kernel modules', () => {
  assert.deepEqual(phaseNames(bootSequence({ runtime: 'container', mode: 'live' })), ['earlyMounts', 'mode', 'root', 'config', 'network', 'services']);
  assert.deepEqual(phaseNames(bootSequence({ runtime: 'container', mode: 'recovery' })), ['earlyMounts', 'mode', 'root', 'recovery']);
});

test('the phases up to mode do not depend on the mode (the runner re-reads the sequence)', () => {
  for (const mode of ['live', 'disk', 'local', 'install', 'recovery'] as const) {
    assert.deepEqual(phaseNames(bootSequence({ runtime: 'machine', mode })).slice(0, 3), ['earlyMounts', 'modules', 'mode']);
  }
});

test('modules load before the mode phase looks for the state disk', () => {
  const names = phaseNames(bootSequence({ runtime: 'machine' }));
  assert.ok(names.indexOf('modules') < names.indexOf('mode'));
});

test('task names are verb phrases, unique within the boot', () => {
  const all = bootSequence({ runtime: 'machine' }).flatMap((p) => p.tasks.map((t) => t.name));
  assert.equal(new Set(all).size, all.length);
  for (const n of all) assert.match(n, /^[a-z]+[A-Z]/);
});
