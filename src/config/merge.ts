// Merge of config sources, later wins. Maps of known keys (the top level,
// k3os, k3os.install, k3os.network, and the interfaces map by name) merge
// field by field; every other value - strings, lists, string maps such as
// labels or sysctls, and each interface's definition - is a leaf and is
// replaced whole, as k3OS did.
import type { K3OSConfig } from './schema.ts';

type Obj = Record<string, unknown>;

const MERGED_BY_FIELD: ReadonlySet<string> = new Set(['', 'k3os', 'k3os.install', 'k3os.network', 'k3os.network.interfaces']);

const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

const mergeAt = (base: Obj, next: Obj, at: string): Obj => {
  const out: Obj = { ...base };
  for (const [k, v] of Object.entries(next)) {
    if (v === undefined) continue;
    const path = at ? `${at}.${k}` : k;
    const prev = out[k];
    out[k] = MERGED_BY_FIELD.has(path) && isObj(prev) && isObj(v) ? mergeAt(prev, v, path) : structuredClone(v);
  }
  return out;
};

export const mergeConfigs = (configs: readonly K3OSConfig[]): K3OSConfig =>
  configs.reduce<Obj>((acc, c) => mergeAt(acc, c as Obj, ''), {}) as K3OSConfig;
