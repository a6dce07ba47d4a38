// 10,000 mutated configs from the real corpus (seeded, so a failure repeats):
// key deletions, type swaps, misspelled keys, garbage text. The loader never
// throws, every rejection carries a message, and whatever it returns is a
// valid config.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import { configSchema, formatIssue, loadConfig } from '../../src/config/index.ts';

const DIR = fileURLToPath(new URL('../fixtures/k3os-configs/', import.meta.url));
const corpus = readdirSync(DIR).filter((f) => f !== 'SOURCES.md').sort().map((f) => readFileSync(DIR + f, 'utf8'));
const parsed = corpus.flatMap((t) => {
  try {
    const v: unknown = parse(t);
    return v && typeof v === 'object' ? [v] : [];
  } catch {
    return [];
  }
});

const mulberry32 = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

describe('config fuzz', () => {
  it('10,000 mutated configs: 0 crashes, a message for every rejection', () => {
    const rnd = mulberry32(0x6b336f73);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
    const junk = (): unknown => pick<() => unknown>([
      () => Math.floor(rnd() * 1e6), () => rnd() < 0.5, () => null, () => 'str', () => '',
      () => ['a', 1, null], () => ({ k: 'v', n: { deep: [1] } }), () => [[['x']]], () => -0.5, () => '$6$x$y',
      () => '10.0.0.1/99', () => '::1', () => 'x'.repeat(300),
    ])();
    const containers = (v: unknown, acc: Array<Record<string, unknown> | unknown[]> = []): Array<Record<string, unknown> | unknown[]> => {
      if (v && typeof v === 'object') {
        acc.push(v as Record<string, unknown>);
        for (const c of Object.values(v)) containers(c, acc);
      }
      return acc;
    };
    const mutate = (base: unknown): string => {
      const v = structuredClone(base);
      const n = 1 + Math.floor(rnd() * 4);
      for (let i = 0; i < n; i++) {
        const c = pick(containers(v));
        const keys = Object.keys(c);
        if (keys.length === 0) continue;
        const k = pick(keys);
        const op = rnd();
        const obj = c as Record<string, unknown>;
        if (op < 0.3) delete obj[k];
        else if (op < 0.7) obj[k] = junk();
        else if (op < 0.85 && !Array.isArray(c)) { obj[`${k.slice(0, -1)}${pick(['x', 's', '_', ''])}`] = obj[k]; delete obj[k]; }
        else obj[k] = { network: { interfaces: { [pick(['eth0', 'bad name!', ''])]: { addresses: [junk()], mtu: junk(), routes: [{ to: junk(), via: junk() }] } } } };
      }
      return stringify(v);
    };
    const garble = (text: string): string => {
      const chars = [...text];
      const n = 1 + Math.floor(rnd() * 6);
      for (let i = 0; i < n; i++) {
        const at = Math.floor(rnd() * (chars.length + 1));
        const op = rnd();
        if (op < 0.4) chars.splice(at, 0, pick([':', '-', '[', '{', '"', "'", '\t', '\n', '  ', '&a', '*a', '!!binary ', '%', '#', '\0', '? ']));
        else if (op < 0.7) chars.splice(at, Math.floor(rnd() * 20));
        else chars.length = Math.min(chars.length, at);
      }
      return chars.join('');
    };

    let rejected = 0;
    for (let i = 0; i < 10_000; i++) {
      const r = rnd();
      let sources;
      if (r < 0.45) sources = [{ name: `m${i}.yaml`, text: mutate(pick(parsed)) }];
      else if (r < 0.9) sources = [{ name: `g${i}.yaml`, text: garble(pick(corpus)) }];
      else sources = [{ kind: 'cmdline' as const, text: garble('k3os.token=x k3os.sysctl[a.b]="1 2" hostname k3os.labels.a=b k3os.dns_nameserver=1.1.1.1') }];
      let res;
      try {
        res = loadConfig(sources);
      } catch (e) {
        assert.fail(`crash on input ${i}: ${(e as Error).stack}\n---\n${JSON.stringify(sources)}`);
      }
      if (res.errors.length > 0) rejected++;
      for (const issue of [...res.errors, ...res.warnings]) {
        assert.ok(issue.message.length > 0 && issue.source.length > 0, `input ${i}: empty issue ${JSON.stringify(issue)}`);
        assert.ok(formatIssue(issue).length > 0);
      }
      const valid = configSchema.safeParse(res.config);
      assert.ok(valid.success, `input ${i}: loader returned an invalid config: ${JSON.stringify(res.config)}`);
    }
    // The mutations must actually produce rejections, or the test proves nothing.
    assert.ok(rejected > 2000, `only ${rejected} rejections`);
  });
});
