// The kernel command line as a config source, as k3OS read it: every
// `key=value` whose first segment is a config key (`hostname=`, `k3os.…`),
// dots separating levels, a bare key meaning "true", a repeated key building
// a list. Added over k3OS: double quotes (the kernel's own quoting, so
// `k3os.sysctls[kernel.printk]="4 4 1 7"` keeps its spaces) and the
// README's `key[sub]=value` form for map entries. Tokens that are not config
// keys (console=, panic=...) belong to the kernel and are ignored.
import { aliasTable } from './aliases.ts';
import { isPrototypeKey } from './names.ts';
import type { Shape } from './shape.ts';
import { configShape } from './shape.ts';

export const CMDLINE_SOURCE = 'kernel command line';

/** Split like the kernel: whitespace separates, double quotes group and are removed. */
export const tokenizeCmdline = (text: string): string[] => {
  const out: string[] = [];
  let cur = '';
  let inQuote = false;
  let has = false;
  for (const ch of text) {
    if (ch === '"') { inQuote = !inQuote; has = true; continue; }
    if (!inQuote && /\s/.test(ch)) {
      if (has) out.push(cur);
      cur = '';
      has = false;
      continue;
    }
    cur += ch;
    has = true;
  }
  if (has) out.push(cur);
  return out;
};

/** `a.b[c.d].e` -> ['a', 'b', 'c.d', 'e']. */
export const splitKey = (key: string): string[] => {
  const segs: string[] = [];
  let cur = '';
  for (let i = 0; i < key.length; i++) {
    const ch = key[i]!;
    if (ch === '[') {
      const end = key.indexOf(']', i);
      if (end < 0) { cur += key.slice(i); break; }
      if (cur) segs.push(cur);
      segs.push(key.slice(i + 1, end));
      cur = '';
      i = end;
      if (key[i + 1] === '.') i++;
    } else if (ch === '.') {
      segs.push(cur);
      cur = '';
    } else {
      cur += ch;
    }
  }
  segs.push(cur);
  return segs.filter((s, i) => s !== '' || i === 0);
};

/**
 * Canonical path for the segments, following the schema: once a map of free
 * keys (sysctls, labels) is reached, the rest is one key, so
 * `k3os.sysctl.vm.swappiness` is sysctls["vm.swappiness"].
 */
const resolvePath = (segs: string[]): string[] | undefined => {
  const out: string[] = [];
  let shape: Shape | undefined = configShape;
  for (let i = 0; i < segs.length; i++) {
    const seg = segs[i]!;
    if (shape?.kind === 'object') {
      const canonical = aliasTable(shape.fields).get(seg);
      if (i === 0 && canonical === undefined) return undefined;
      out.push(canonical ?? seg);
      shape = canonical === undefined ? undefined : shape.fields[canonical];
    } else if (shape?.kind === 'record' && shape.value.kind === 'object') {
      out.push(seg);
      shape = shape.value;
    } else if (shape?.kind === 'record') {
      out.push(segs.slice(i).join('.'));
      return out;
    } else {
      out.push(seg);
      shape = undefined;
    }
  }
  return out;
};

/** Every `key=value` word in order; a bare `key` is `key=true`, as k3OS and the kernel read it. */
export const cmdlineEntries = (text: string): Array<{ key: string; value: string }> =>
  tokenizeCmdline(text).map((token) => {
    const eq = token.indexOf('=');
    return eq < 0 ? { key: token, value: 'true' } : { key: token.slice(0, eq), value: token.slice(eq + 1) };
  });

export const parseCmdline = (text: string): Record<string, unknown> => {
  const data: Record<string, unknown> = {};
  for (const { key, value } of cmdlineEntries(text)) {
    const path = resolvePath(splitKey(key));
    // `k3os.__proto__.x=1` would write to Object.prototype through the walk below.
    if (!path || path.some(isPrototypeKey)) continue;
    let node = data;
    let ok = true;
    for (const seg of path.slice(0, -1)) {
      const next = node[seg];
      if (next === undefined) node[seg] = {};
      else if (typeof next !== 'object' || Array.isArray(next)) { ok = false; break; }
      node = node[seg] as Record<string, unknown>;
    }
    if (!ok) continue;
    const last = path[path.length - 1]!;
    const existing = node[last];
    if (existing === undefined) node[last] = value;
    else if (typeof existing === 'string') node[last] = [existing, value];
    else if (Array.isArray(existing)) existing.push(value);
  }
  return data;
};
