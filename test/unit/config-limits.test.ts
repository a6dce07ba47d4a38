// A source that would cost PID 1 more heap than it has (96 MB; an abort is a
// kernel panic) is skipped with a reason before a tree is built.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig, loadSource } from '../../src/config/index.ts';
import { MAX_ISSUES } from '../../src/config/load.ts';
import { SOURCE_LIMITS } from '../../src/config/raw.ts';

const load = (text: string) => loadConfig([{ name: 'big.yaml', text }]);
const skipped = (text: string): string => {
  const r = load(text);
  assert.deepEqual(r.config, {});
  assert.equal(r.errors.length, 1);
  assert.equal(r.errors[0]!.code, 'K3OS_SOURCE_TOO_LARGE');
  return r.errors[0]!.message;
};

describe('config source limits', () => {
  it('aliases that expand nine-fold on each of nine lines (billion laughs) are refused, quickly', () => {
    let y = 'x0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n';
    for (let i = 1; i < 9; i++) y += `x${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(', ')}]\n`;
    y += 'hostname: *a8\n';
    assert.match(skipped(y), /more than 10000 values once aliases are expanded/);
  });
  it('more values than the limit, in any spelling, are refused before parsing', () => {
    const n = SOURCE_LIMITS.nodes + 1;
    assert.match(skipped(`write_files: [${Array(n).fill('{}').join(',')}]\n`), /more than 10000 values/);
    assert.match(skipped(`ssh_authorized_keys: [${Array(n).fill('"k"').join(',')}]\n`), /more than 10000 values/);
    assert.match(skipped(`ssh_authorized_keys:\n${Array(n).fill("- 'k'\n").join('')}`), /more than 10000 values/);
    assert.match(skipped(`run_cmd:\n${Array(n).fill('-\n').join('')}`), /more than 10000 values/);
  });
  it('flow collections nested deeper than the limit are refused', () => {
    const d = SOURCE_LIMITS.flowDepth + 1;
    assert.match(skipped(`k3os: {labels: ${'['.repeat(d)}${']'.repeat(d)}}\n`), /nested deeper than 64 levels/);
  });
  it('a source over 1 MiB is refused; one just under the limits loads', () => {
    assert.match(skipped(`hostname: ${'a'.repeat(SOURCE_LIMITS.bytes)}\n`), /larger than 1048576 bytes/);
    const keys = Array.from({ length: 4000 }, (_, i) => `- ssh-ed25519 AAAA${i}`).join('\n');
    assert.equal(load(`ssh_authorized_keys:\n${keys}\n`).config.ssh_authorized_keys?.length, 4000);
  });
  it('a parsed JSON body is held to the same limits, without a YAML pass', () => {
    const json = (value: unknown) => loadSource({ kind: 'json', name: 'PUT /v1/config', value }).issues.map((i) => `${i.code}: ${i.message}`);
    assert.deepEqual(json({ write_files: Array.from({ length: SOURCE_LIMITS.nodes }, () => ({})) }), ['K3OS_SOURCE_TOO_LARGE: source skipped: more than 10000 values']);
    let deep: unknown = 'x';
    for (let i = 0; i < 100; i++) deep = [deep];
    assert.deepEqual(json({ k3os: { labels: { a: deep } } }), ['K3OS_SOURCE_TOO_LARGE: source skipped: nested deeper than 64 levels']);
    assert.equal(loadSource({ kind: 'json', name: 'PUT /v1/config', value: { write_files: [{ path: '/x', content: 'a'.repeat(SOURCE_LIMITS.bytes - 100) }] } }).config?.write_files?.length, 1);
  });
  it('a source with many bad values reports the first ones and counts the rest', () => {
    const r = loadSource({ kind: 'yaml', name: 'bad.yaml', text: `write_files: [${Array(300).fill('{}').join(',')}]\n` });
    assert.equal(r.issues.length, MAX_ISSUES + 1);
    assert.equal(r.issues.at(-1)!.message, `and ${300 - MAX_ISSUES} more issues not shown`);
  });
});
