// Config parse + merge of the whole real-config corpus, against plain
// YAML.parse of the same text, measured in one run. Prints; asserts nothing.
//   node bench/config.bench.ts
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { loadConfig } from '../src/config/load.ts';

const DIR = fileURLToPath(new URL('../test/fixtures/k3os-configs/', import.meta.url));
const sources = readdirSync(DIR).filter((f) => f !== 'SOURCES.md').sort().map((f) => ({ name: f, text: readFileSync(DIR + f, 'utf8') }));

const measure = (label: string, fn: () => void): number => {
  for (let i = 0; i < 20; i++) fn();
  let n = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0;
  while (elapsed < 1_000) {
    fn();
    n++;
    elapsed = Number(process.hrtime.bigint() - start) / 1e6;
  }
  const ops = (n * 1000) / elapsed;
  console.log(`${label.padEnd(42)} ${ops.toFixed(1).padStart(9)} ops/s  (${(elapsed / n).toFixed(3)} ms/op, ${sources.length} files/op)`);
  return ops;
};

const plain = measure('YAML.parse of every file', () => {
  for (const s of sources) {
    try { parse(s.text, { logLevel: 'error' }); } catch { /* broken corpus files count as parsed */ }
  }
});
const full = measure('loadConfig (parse, normalise, validate, merge)', () => { loadConfig(sources); });
console.log(`ratio: loadConfig takes ${(plain / full).toFixed(2)}x the time of plain YAML.parse`);
