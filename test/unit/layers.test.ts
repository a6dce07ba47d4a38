// The layers of docs/architecture.md, checked on every import under src/ and scripts/:
// imports point down only, and no product code reaches into test/.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

const ROOT = path.resolve(import.meta.dirname, '../..');

const filesUnder = (dir: string): string[] =>
  readdirSync(path.join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.(ts|mts|cts)$/.test(e.name))
    .map((e) => path.relative(ROOT, path.join(e.parentPath, e.name)));

/** Every relative import of a file, as a path from the repository's root. */
const importsOf = (file: string): string[] => {
  const text = readFileSync(path.join(ROOT, file), 'utf8');
  const specs = [...text.matchAll(/^\s*(?:import|export)\b[^'"]*?\bfrom\s+['"](\.[^'"]+)['"]|^\s*import\s+['"](\.[^'"]+)['"]|\bimport\(\s*['"](\.[^'"]+)['"]\s*\)/gm)]
    .map((m) => m[1] ?? m[2] ?? m[3]!);
  return specs.map((s) => path.relative(ROOT, path.resolve(path.dirname(path.join(ROOT, file)), s)));
};

/** The layer of a path: its first two segments under src/, else its top folder. */
const layerOf = (p: string): string => {
  const parts = p.split(path.sep);
  return parts[0] === 'src' ? `src/${parts[1]}` : parts[0]!;
};

/** What each layer may import besides itself (DESIGN.md's round-2 table, docs/architecture.md). */
const ALLOWED: Record<string, readonly string[]> = {
  'src/sys': [],
  'src/config': [],
  'src/lib': [],
  'src/api': ['src/lib', 'src/config', 'src/sys'],
  'src/apply': ['src/lib', 'src/config', 'src/sys'],
  'src/init': ['src/lib', 'src/api', 'src/config', 'src/sys', 'src/apply'],
  'src/agent': ['src/lib', 'src/api', 'src/config'],
  'src/cli': ['src/lib', 'src/api', 'src/config', 'src/apply', 'src/sys'],
};

const violations = (files: readonly string[], ok: (from: string, to: string) => boolean): string[] =>
  files.flatMap((f) => importsOf(f).filter((to) => !ok(layerOf(f), layerOf(to))).map((to) => `${f} -> ${to}`));

describe('layers', () => {
  const src = filesUnder('src');

  for (const [layer, allowed] of Object.entries(ALLOWED)) {
    it(`${layer} imports only ${allowed.length ? allowed.join(', ') : 'itself'}`, () => {
      const own = src.filter((f) => layerOf(f) === layer);
      assert.ok(own.length > 0, `${layer} has no files`);
      assert.deepEqual(violations(own, (from, to) => to === from || allowed.includes(to)), []);
    });
  }

  it('nothing under src/ or scripts/ imports test/', () => {
    assert.deepEqual(violations([...src, ...filesUnder('scripts')], (_from, to) => to !== 'test'), []);
  });

  it('the import finder sees imports (a check that cannot fail is no check)', () => {
    assert.ok(importsOf('src/apply/password.ts').includes(path.join('src', 'lib', 'atomic-write.ts')));
    assert.equal(layerOf(path.join('src', 'init', 'main.ts')), 'src/init');
  });
});
