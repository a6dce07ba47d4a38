// The pure core of config loading: sources (text) in, the merged config and
// every warning and error out. Each source is parsed, normalised and
// validated on its own, so an error names its own file and line; a source
// whose YAML is invalid is skipped, and a key with a wrong value is dropped,
// while the rest still merges. The caller decides what errors mean (init
// falls back to the last good config, see lastgood.ts).
import type { z } from 'zod';
import { CMDLINE_SOURCE, parseCmdline } from './cmdline.ts';
import type { ConfigIssue, PathSeg } from './issues.ts';
import { pathToString } from './issues.ts';
import { mergeConfigs } from './merge.ts';
import type { Normalized } from './normalize.ts';
import { normalize } from './normalize.ts';
import type { Pos, Raw } from './raw.ts';
import { parseValue, parseYaml, rawFromJs } from './raw.ts';
import type { K3OSConfig } from './schema.ts';
import { configSchema, isIp } from './schema.ts';
import { classifyUserdata, metadataConfig } from './userdata.ts';

export type ConfigSource =
  | { kind?: 'yaml'; name: string; text: string }
  | { kind: 'cmdline'; text: string; name?: string }
  /** A JSON request body, parsed: PUT /v1/config. */
  | { kind: 'json'; name: string; value: unknown }
  | { kind: 'metadata'; name: string; hostname?: string; authorizedKeys?: string }
  | { kind: 'userdata'; name: string; bytes: Uint8Array }
  /** A file the reader found but could not read (EACCES, EISDIR...). */
  | { kind: 'unreadable'; name: string; reason: string };

export interface LoadResult {
  config: K3OSConfig;
  warnings: ConfigIssue[];
  errors: ConfigIssue[];
}

const positionFor = (positions: Map<string, Pos>, path: readonly PathSeg[]): Pos | undefined => {
  for (let n = path.length; n >= 0; n--) {
    const p = positions.get(pathToString(path.slice(0, n)));
    if (p) return p;
  }
  return undefined;
};

const getAt = (root: unknown, path: readonly PathSeg[]): unknown =>
  path.reduce<unknown>((node, seg) => (node !== null && typeof node === 'object' ? (node as Record<PathSeg, unknown>)[seg] : undefined), root);

const deleteAt = (root: Record<string, unknown>, path: readonly PathSeg[]): void => {
  if (path.length === 0) return;
  const parent = getAt(root, path.slice(0, -1));
  const last = path[path.length - 1]!;
  if (Array.isArray(parent) && typeof last === 'number') parent.splice(last, 1);
  else if (parent !== null && typeof parent === 'object') delete (parent as Record<PathSeg, unknown>)[last];
};

const zodMessage = (i: z.core.$ZodIssue): string => {
  if (i.code === 'invalid_value' && 'values' in i) return `must be one of ${i.values.map((v) => JSON.stringify(v)).join(', ')}`;
  if (i.code === 'invalid_type') return `expected ${i.expected}${i.input === undefined ? ' (required)' : ''}`;
  // A map key that breaks a names.ts rule: its reason, not zod's generic "Invalid key in record".
  if (i.code === 'invalid_key' && i.issues[0]) return zodMessage(i.issues[0]);
  return i.message;
};

const lint = (source: string, config: K3OSConfig, n: Normalized): ConfigIssue[] => {
  const out: ConfigIssue[] = [];
  (config.k3os?.dns_nameservers ?? []).forEach((ns, i) => {
    if (isIp(ns)) return;
    const path: PathSeg[] = ['k3os', 'dns_nameservers', i];
    const pos = positionFor(n.positions, path);
    out.push({
      severity: 'warning', code: 'K3OS_BAD_NAMESERVER', source, path: pathToString(path), ...(pos ? { line: pos.line, column: pos.column } : {}),
      message: `"${ns}" is not an IP address; this name server is skipped`,
    });
  });
  return out;
};

/** Validate one normalised source; invalid values are reported and removed. */
const validate = (source: string, n: Normalized): { config?: K3OSConfig; issues: ConfigIssue[] } => {
  const issues: ConfigIssue[] = [];
  const value = n.value;
  if (!value) return { issues };
  // Paths already reported and removed: a required field we removed is not a second error.
  const dropped = new Set<string>();
  for (let round = 0; round < 32; round++) {
    const r = configSchema.safeParse(value);
    if (r.success) return { config: r.data, issues: [...issues, ...lint(source, r.data, n)] };
    for (const zi of r.error.issues) {
      const path = zi.path.filter((s): s is PathSeg => typeof s !== 'symbol');
      if (dropped.has(pathToString(path))) continue;
      const pos = positionFor(n.positions, path);
      issues.push({
        severity: 'error', code: 'K3OS_INVALID_VALUE', source, path: pathToString(path), ...(pos ? { line: pos.line, column: pos.column } : {}),
        message: zodMessage(zi),
      });
    }
    // Drop the offending values (the parent when the value is missing), then retry.
    for (const zi of [...r.error.issues].reverse()) {
      const path = zi.path.filter((s): s is PathSeg => typeof s !== 'symbol');
      dropped.add(pathToString(path));
      deleteAt(value, getAt(value, path) === undefined ? path.slice(0, -1) : path);
    }
  }
  issues.push({ severity: 'error', code: 'K3OS_INVALID_VALUE', source, path: '', message: 'too many invalid values, source skipped' });
  return { issues };
};

const rawOf = (s: ConfigSource): { name: string; raw?: Raw; issues: ConfigIssue[] } => {
  switch (s.kind) {
    case 'cmdline':
      return { name: s.name ?? CMDLINE_SOURCE, raw: rawFromJs(parseCmdline(s.text)), issues: [] };
    case 'json':
      return { name: s.name, ...parseValue(s.name, s.value) };
    case 'metadata':
      return { name: s.name, raw: rawFromJs(metadataConfig(s.hostname, s.authorizedKeys)), issues: [] };
    case 'userdata': {
      const u = classifyUserdata(s.bytes);
      if (u.kind === 'script') return { name: s.name, raw: rawFromJs(u.config), issues: [] };
      return { name: s.name, ...parseYaml(s.name, u.text) };
    }
    case 'unreadable':
      return {
        name: s.name,
        issues: [{ severity: 'error', code: 'K3OS_SOURCE_UNREADABLE', source: s.name, path: '', message: `cannot read, source skipped: ${s.reason}` }],
      };
    default:
      return { name: s.name, ...parseYaml(s.name, s.text) };
  }
};

export interface SourceResult { name: string; config?: K3OSConfig; issues: ConfigIssue[] }

/** One source on its own: what `k3os config --validate FILE` reports. */
/** Issues reported per source; the rest are counted, so a broken file cannot flood a console or an API answer. */
export const MAX_ISSUES = 100;

const capIssues = (source: string, issues: ConfigIssue[]): ConfigIssue[] => issues.length <= MAX_ISSUES ? issues : [
  ...issues.slice(0, MAX_ISSUES),
  { severity: 'error', code: 'K3OS_INVALID_VALUE', source, path: '', message: `and ${issues.length - MAX_ISSUES} more issues not shown` },
];

export const loadSource = (s: ConfigSource): SourceResult => {
  const { name, raw, issues } = rawOf(s);
  if (!raw) return { name, issues };
  const n = normalize(name, raw);
  const v = validate(name, n);
  return { name, config: v.config, issues: capIssues(name, [...issues, ...n.issues, ...v.issues]) };
};

export const loadConfig = (sources: readonly ConfigSource[]): LoadResult => {
  const results = sources.map(loadSource);
  const all = results.flatMap((r) => r.issues);
  const config = mergeConfigs(results.flatMap((r) => (r.config ? [r.config] : [])));
  return {
    config,
    warnings: all.filter((i) => i.severity === 'warning'),
    errors: all.filter((i) => i.severity === 'error'),
  };
};
