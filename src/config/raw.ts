// A neutral tree for config input before normalisation: YAML documents, the
// kernel command line and cloud metadata all become Raw, so one normaliser
// handles aliases and coercion for every source. Positions come from YAML.
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { Document, Node } from 'yaml';
import type { ConfigIssue } from './issues.ts';

export interface Pos { line: number; column: number }

export type Raw =
  | { t: 'map'; entries: RawEntry[]; pos?: Pos }
  | { t: 'seq'; items: Raw[]; pos?: Pos }
  /** value: string | number | boolean | null | Uint8Array; text: the YAML source of a plain scalar. */
  | { t: 'scalar'; value: unknown; text?: string; pos?: Pos };

export interface RawEntry { key: string; keyPos?: Pos; value: Raw }

/** Plain JS (cmdline, metadata) to Raw. */
export const rawFromJs = (v: unknown): Raw => {
  if (Array.isArray(v)) return { t: 'seq', items: v.map(rawFromJs) };
  if (v !== null && typeof v === 'object' && !(v instanceof Uint8Array)) {
    return { t: 'map', entries: Object.entries(v).map(([key, value]) => ({ key, value: rawFromJs(value) })) };
  }
  return { t: 'scalar', value: v ?? null };
};

const MAX_ALIAS_DEPTH = 64;

const fromNode = (node: unknown, doc: Document, lc: LineCounter, depth: number): Raw => {
  const pos = (n: Node): Pos | undefined => {
    if (!n.range) return undefined;
    const p = lc.linePos(n.range[0]);
    return { line: p.line, column: p.col };
  };
  if (node == null) return { t: 'scalar', value: null };
  if (isAlias(node)) {
    if (depth > MAX_ALIAS_DEPTH) throw new Error('YAML aliases nest too deeply');
    return fromNode(node.resolve(doc), doc, lc, depth + 1);
  }
  if (isMap(node)) {
    const entries: RawEntry[] = [];
    for (const pair of node.items) {
      const k = pair.key;
      let key: string;
      let keyPos: Pos | undefined;
      if (isScalar(k)) {
        key = k.value == null ? '' : typeof k.value === 'string' ? k.value : typeof k.source === 'string' ? k.source : String(k.value);
        keyPos = pos(k);
      } else if (k == null) {
        key = '';
      } else {
        key = String((k as Node).toJSON?.() ?? '');
        keyPos = pos(k as Node);
      }
      entries.push({ key, keyPos, value: fromNode(pair.value, doc, lc, depth) });
    }
    return { t: 'map', entries, pos: pos(node) };
  }
  if (isSeq(node)) return { t: 'seq', items: node.items.map((i) => fromNode(i, doc, lc, depth)), pos: pos(node) };
  if (isScalar(node)) {
    const text = node.type === 'PLAIN' && typeof node.source === 'string' ? node.source : undefined;
    return { t: 'scalar', value: node.value ?? null, text, pos: pos(node) };
  }
  return { t: 'scalar', value: null };
};

export interface ParsedYaml { raw?: Raw; issues: ConfigIssue[] }

/**
 * YAML 1.1, as k3OS's go-yaml v2 read it: `yes`/`no` are booleans and `0644`
 * is octal. Strings keep their source text, so a sysctl of `1` stays "1".
 */
export const parseYaml = (source: string, text: string): ParsedYaml => {
  const lc = new LineCounter();
  const doc = parseDocument(text, { version: '1.1', lineCounter: lc, prettyErrors: false, uniqueKeys: false });
  const first = doc.errors[0];
  if (first) {
    const p = lc.linePos(first.pos[0]);
    const more = doc.errors.length > 1 ? ` (and ${doc.errors.length - 1} more YAML errors)` : '';
    return {
      issues: [{
        severity: 'error', code: 'K3OS_YAML_SYNTAX', source, path: '', line: p.line, column: p.col,
        message: `invalid YAML, source skipped: ${first.message.split('\n')[0]}${more}`,
      }],
    };
  }
  try {
    return { raw: fromNode(doc.contents, doc, lc, 0), issues: [] };
  } catch (e) {
    return { issues: [{ severity: 'error', code: 'K3OS_YAML_SYNTAX', source, path: '', message: `invalid YAML, source skipped: ${(e as Error).message}` }] };
  }
};
