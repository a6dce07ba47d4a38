import assert from 'node:assert/strict';
import { test } from 'node:test';

import { STDIO_NULL, spawnArgs } from '../../src/sys/spawn.ts';
import type { SpawnSpec } from '../../src/sys/types.ts';

test('a minimal spec: file from argv[0], stdio /dev/null, ids unchanged', () => {
  assert.deepEqual(spawnArgs({ argv: ['/bin/true'], env: {} }), [
    '/bin/true', ['/bin/true'], [], null, [STDIO_NULL, STDIO_NULL, STDIO_NULL], false, false, -1, -1,
  ]);
});

test('every option reaches its positional argument', () => {
  const spec: SpawnSpec = {
    file: '/bin/busybox', argv: ['getty', '115200', 'ttyS0'], env: { TERM: 'vt100', A: 'b=c' }, cwd: '/root',
    stdin: { fd: 5 }, stdout: { fd: 6 }, stderr: 'null', setsid: true, uid: 1000, gid: 100,
  };
  assert.deepEqual(spawnArgs(spec), [
    '/bin/busybox', ['getty', '115200', 'ttyS0'], ['TERM=vt100', 'A=b=c'], '/root', [5, 6, STDIO_NULL], true, false, 1000, 100,
  ]);
});

test('controllingTty implies setsid and needs a stdin fd', () => {
  const args = spawnArgs({ argv: ['/bin/sh'], env: {}, stdin: { fd: 0 }, controllingTty: true });
  assert.equal(args[5], true);
  assert.equal(args[6], true);
  assert.throws(() => spawnArgs({ argv: ['/bin/sh'], env: {}, controllingTty: true }), RangeError);
});

test('bad specs fail before any fork, with the field named', () => {
  const base: SpawnSpec = { argv: ['/bin/true'], env: {} };
  const cases: [Partial<SpawnSpec> | Record<string, unknown>, ErrorConstructor, RegExp][] = [
    [{ argv: [] }, RangeError, /argv/],
    [{ argv: 'x' }, TypeError, /argv/],
    [{ argv: ['/bin/true', 3] }, TypeError, /argv\[1\]/],
    [{ argv: ['/bin/t\0rue'] }, TypeError, /NUL/],
    [{ file: '' }, RangeError, /file/],
    [{ env: { 'A=B': 'x' } }, RangeError, /env key/],
    [{ env: { A: 1 } }, TypeError, /env\.A/],
    [{ env: null }, TypeError, /env/],
    [{ cwd: 5 }, TypeError, /cwd/],
    [{ stdout: { fd: -1 } }, RangeError, /stdout\.fd/],
    [{ stdout: { fd: 1.5 } }, RangeError, /stdout\.fd/],
    [{ stderr: 'inherit' }, TypeError, /stderr/],
    [{ uid: -1 }, RangeError, /uid/],
    [{ gid: 2 ** 32 }, RangeError, /gid/],
    [{ uid: '0' }, TypeError, /uid/],
  ];
  for (const [patch, type, message] of cases) {
    assert.throws(() => spawnArgs({ ...base, ...patch } as SpawnSpec), (error: Error) => {
      assert.ok(error instanceof type, `${JSON.stringify(patch)}: ${error}`);
      assert.match(error.message, message);
      return true;
    });
  }
});
