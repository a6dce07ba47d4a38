import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ArgvError, parseFlags, type FlagSpec } from '../../src/lib/argv.ts';

const spec: FlagSpec = {
  '--json': { name: 'json', kind: 'bool' },
  '-f': { name: 'file', kind: 'value' },
  '--filename': { name: 'file', kind: 'value' },
};

test('flags: value as the next word or after =, booleans bare, aliases share a name', () => {
  assert.deepEqual(parseFlags(['--json', '-f', 'a.yaml'], spec), { values: { json: true, file: 'a.yaml' }, positionals: [] });
  assert.deepEqual(parseFlags(['--filename=b=c.yaml'], spec).values, { file: 'b=c.yaml' });
  assert.deepEqual(parseFlags(['-f', 'x', 'one', 'two'], spec, { positionals: true }).positionals, ['one', 'two']);
});

test('bad arguments name the word and the reason', () => {
  assert.throws(() => parseFlags(['--frob'], spec), (e: unknown) => e instanceof ArgvError && e.message === 'unknown argument --frob');
  assert.throws(() => parseFlags(['stray'], spec), /unknown argument stray/);
  assert.throws(() => parseFlags(['-f'], spec), /-f needs a value/);
  assert.throws(() => parseFlags(['--json=yes'], spec), /--json takes no value/);
  assert.throws(() => parseFlags(['--frob'], spec, { positionals: true }), /unknown argument --frob/);
});
