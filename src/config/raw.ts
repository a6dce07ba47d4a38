// A neutral tree for config input before normalisation: YAML documents, the
// kernel command line and cloud metadata all become Raw, so one normaliser
// handles aliases and coercion for every source. Positions come from YAML.
import { CST, isAlias, isMap, isScalar, isSeq, Lexer, LineCounter, parseDocument } from 'yaml';
import type { Document, Node } from 'yaml';
import type { ConfigIssue } from './issues.ts';

export interface Pos { line: number; column: number }

export type Raw =
  | { t: 'map'; entries: RawEntry[]; pos?: Pos }
  | { t: 'seq'; items: Raw[]; pos?: Pos }
  /** value: string | number | boolean | null | Uint8Array; text: the YAML source of a plain scalar. */
  | { t: 'scalar'; value: unknown; text?: string; pos?: Pos };

export interface RawEntry { key: string; keyPos?: Pos; value: Raw }

const MAX_ALIAS_DEPTH = 64;

/**
 * What one source may hold. Real k3OS configs have tens to hundreds of nodes; the
 * YAML library spends about 1 KB of heap per node and PID 1 has 96 MB, so 200,000
 * nodes of `[[],[],...]` in a 1 MiB PUT body (or nine lines of aliases, each
 * repeating the line above nine times) would abort PID 1: a kernel panic.
 */
export const SOURCE_LIMITS = { bytes: 1 << 20, nodes: 10_000, flowDepth: 64 } as const;

// Tokens that start a node: every scalar, flow collections, and block sequence items (`-` alone is a null item).
const NODE_TOKENS: ReadonlySet<string> = new Set([
  'scalar', 'single-quoted-scalar', 'double-quoted-scalar', 'block-scalar', 'flow-map-start', 'flow-seq-start', 'seq-item-ind',
]);

/** Why `text` is too big to parse, read from the lexer's tokens before any tree is built. */
export const yamlSizeProblem = (text: string): string | undefined => {
  if (text.length > SOURCE_LIMITS.bytes) return `larger than ${SOURCE_LIMITS.bytes} bytes`;
  let nodes = 0;
  let depth = 0;
  for (const token of new Lexer().lex(text)) {
    const type = CST.tokenType(token);
    if (type === 'flow-map-start' || type === 'flow-seq-start') {
      if (++depth > SOURCE_LIMITS.flowDepth) return `nested deeper than ${SOURCE_LIMITS.flowDepth} levels`;
    } else if (type === 'flow-map-end' || type === 'flow-seq-end') {
      depth--;
    }
    if (type !== null && NODE_TOKENS.has(type) && ++nodes > SOURCE_LIMITS.nodes) {
      return `more than ${SOURCE_LIMITS.nodes} values`;
    }
  }
  return undefined;
};

class TooLarge extends Error {}

const tooLarge = (source: string, reason: string): ParsedYaml =>
  ({ issues: [{ severity: 'error', code: 'K3OS_SOURCE_TOO_LARGE', source, path: '', message: `source skipped: ${reason}` }] });

/** Plain JS (cmdline, metadata, a JSON request body) to Raw, within the same limits as YAML. */
export const rawFromJs = (v: unknown, budget = { nodes: SOURCE_LIMITS.nodes }, depth = 0): Raw => {
  if (--budget.nodes < 0) throw new TooLarge(`more than ${SOURCE_LIMITS.nodes} values`);
  if (depth > SOURCE_LIMITS.flowDepth) throw new TooLarge(`nested deeper than ${SOURCE_LIMITS.flowDepth} levels`);
  if (Array.isArray(v)) return { t: 'seq', items: v.map((i) => rawFromJs(i, budget, depth + 1)) };
  if (v !== null && typeof v === 'object' && !(v instanceof Uint8Array)) {
    return { t: 'map', entries: Object.entries(v).map(([key, value]) => ({ key, value: rawFromJs(value, budget, depth + 1) })) };
  }
  return { t: 'scalar', value: v ?? null };
};

/** A value parsed already (a JSON request body): no YAML pass, so a 1 MiB string costs one copy, not a lexer's. */
export const parseValue = (source: string, value: unknown): ParsedYaml => {
  try {
    return { raw: rawFromJs(value), issues: [] };
  } catch (e) {
    if (e instanceof TooLarge) return tooLarge(source, e.message);
    throw e;
  }
};

const fromNode = (node: unknown, doc: Document, lc: LineCounter, depth: number, budget: { nodes: number }): Raw => {
  // Aliases repeat subtrees: the budget counts what they expand to, not what the text says.
  if (--budget.nodes < 0) throw new TooLarge(`more than ${SOURCE_LIMITS.nodes} values once aliases are expanded`);
  const pos = (n: Node): Pos | undefined => {
    if (!n.range) return undefined;
    const p = lc.linePos(n.range[0]);
    return { line: p.line, column: p.col };
  };
  if (node == null) return { t: 'scalar', value: null };
  if (isAlias(node)) {
    if (depth > MAX_ALIAS_DEPTH) throw new Error('YAML aliases nest too deeply');
    return fromNode(node.resolve(doc), doc, lc, depth + 1, budget);
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
      entries.push({ key, keyPos, value: fromNode(pair.value, doc, lc, depth, budget) });
    }
    return { t: 'map', entries, pos: pos(node) };
  }
  if (isSeq(node)) return { t: 'seq', items: node.items.map((i) => fromNode(i, doc, lc, depth, budget)), pos: pos(node) };
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
  const tooBig = yamlSizeProblem(text);
  if (tooBig) return tooLarge(source, tooBig);
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
    return { raw: fromNode(doc.contents, doc, lc, 0, { nodes: SOURCE_LIMITS.nodes }), issues: [] };
  } catch (e) {
    if (e instanceof TooLarge) return tooLarge(source, e.message);
    return { issues: [{ severity: 'error', code: 'K3OS_YAML_SYNTAX', source, path: '', message: `invalid YAML, source skipped: ${(e as Error).message}` }] };
  }
};
