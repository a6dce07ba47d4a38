// k3OS key aliases. k3OS's mapper (FuzzyNames) accepted, for every field,
// its camelCase JSON name, the snake_case YAML name, both lowercased, and the
// same three spellings of the singular (name minus a trailing "s" or "es").
// We derive the same set from our canonical snake_case keys.
import type { Shape } from './shape.ts';

export const snakeToCamel = (s: string): string => s.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

const spellings = (canonical: string): string[] => {
  const out = new Set<string>();
  const bases = [canonical];
  if (canonical.length > 1 && canonical.endsWith('s')) bases.push(canonical.slice(0, -1));
  if (canonical.length > 2 && canonical.endsWith('es')) bases.push(canonical.slice(0, -2));
  for (const b of bases) {
    const camel = snakeToCamel(b);
    out.add(b);
    out.add(camel);
    out.add(camel.toLowerCase());
    out.add(b.toLowerCase());
  }
  return [...out];
};

/** Extra spellings k3OS users wrote that the mapper rule does not produce. */
const EXTRA: Record<string, Record<string, string>> = {
  wifi: { ssid: 'name' },
};

const cache = new WeakMap<object, Map<string, string>>();

/** alias -> canonical key for an object shape; `context` names extra aliases. */
export const aliasTable = (fields: Record<string, Shape>, context?: string): Map<string, string> => {
  const hit = cache.get(fields);
  if (hit) return hit;
  const table = new Map<string, string>();
  // Canonical names first, so an alias never shadows a real key.
  for (const k of Object.keys(fields)) table.set(k, k);
  for (const k of Object.keys(fields)) {
    for (const s of spellings(k)) if (!table.has(s)) table.set(s, k);
  }
  for (const [alias, canonical] of Object.entries((context && EXTRA[context]) ?? {})) {
    if (!table.has(alias)) table.set(alias, canonical);
  }
  cache.set(fields, table);
  return table;
};

export const resolveKey = (fields: Record<string, Shape>, key: string, context?: string): string | undefined =>
  aliasTable(fields, context).get(key);
