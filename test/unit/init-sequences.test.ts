import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bootSequence, phaseNames } from '../../src/init/sequences.ts';

test('machine boot per mode', () => {
  const names = (mode?: Parameters<typeof bootSequence>[0]['mode']) => phaseNames(bootSequence({ runtime: 'machine', ...(mode ? { mode } : {}) }));
  const normal = ['earlyMounts', 'mode', 'root', 'modules', 'config', 'network', 'services'];
  assert.deepEqual(names(), normal);
  assert.deepEqual(names('live'), normal);
  assert.deepEqual(names('disk'), normal);
  assert.deepEqual(names('local'), normal);
  assert.deepEqual(names('recovery'), ['earlyMounts', 'mode', 'root', 'modules', 'recovery']);
  assert.deepEqual(names('install'), ['earlyMounts', 'mode', 'root', 'modules', 'config', 'network', 'install']);
});

test('a container loads no kernel modules', () => {
  assert.deepEqual(phaseNames(bootSequence({ runtime: 'container', mode: 'live' })), ['earlyMounts', 'mode', 'root', 'config', 'network', 'services']);
  assert.deepEqual(phaseNames(bootSequence({ runtime: 'container', mode: 'recovery' })), ['earlyMounts', 'mode', 'root', 'recovery']);
});

test('the first phases do not depend on the mode (the runner re-reads the sequence)', () => {
  for (const mode of ['live', 'disk', 'local', 'install', 'recovery'] as const) {
    assert.deepEqual(phaseNames(bootSequence({ runtime: 'machine', mode })).slice(0, 2), ['earlyMounts', 'mode']);
  }
});

test('task names are verb phrases, unique within the boot', () => {
  const all = bootSequence({ runtime: 'machine' }).flatMap((p) => p.tasks.map((t) => t.name));
  assert.equal(new Set(all).size, all.length);
  for (const n of all) assert.match(n, /^[a-z]+[A-Z]/);
});
