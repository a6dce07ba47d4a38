// k3OS's lenient input rules, applied before schema validation:
// - key aliases (camelCase, snake_case, lowercase, singular for plural);
// - a scalar where a list of strings is expected becomes a one-item list;
// - map values and list items that are numbers or booleans become strings,
//   spelled as written (`kernel.kptr_restrict: 1` is "1");
// - "true"/"false" strings (kernel command line) become booleans.
// Where k3OS was silent we are strict and say so: an unknown key is a
// warning that names the nearest known key; a wrong kind is an error and
// the value is dropped, so one bad key never hides the rest of a source.
import { aliasTable } from './aliases.ts';
import { isPrototypeKey } from './names.ts';
import type { ConfigIssue, PathSeg } from './issues.ts';
import { pathToString } from './issues.ts';
import type { Pos, Raw } from './raw.ts';
import type { Shape } from './shape.ts';
import { configShape } from './shape.ts';
import { nearest } from './suggest.ts';

export interface Normalized {
  value: Record<string, unknown> | undefined;
  /** Canonical key path -> position in the source, for schema errors. */
  positions: Map<string, Pos>;
  issues: ConfigIssue[];
}

const describeRaw = (r: Raw): string => {
  if (r.t === 'map') return 'a map';
  if (r.t === 'seq') return 'a list';
  const v = r.value;
  if (v instanceof Uint8Array) return 'binary data';
  if (v === null) return 'null';
  return `${typeof v === 'string' ? 'the string' : `the ${typeof v}`} ${JSON.stringify(String(v))}`;
};

const describeShape = (s: Shape): string => {
  switch (s.kind) {
    case 'object': return 'a map';
    case 'record': return s.value.kind === 'string' ? 'a map of strings' : 'a map';
    case 'array': return s.item.kind === 'string' ? 'a list of strings' : `a list of ${describeShape(s.item).replace(/^an? /, '')}s`;
    default: return `a ${s.kind}`;
  }
};

interface Ctx { source: string; positions: Map<string, Pos>; issues: ConfigIssue[] }

const issue = (ctx: Ctx, severity: ConfigIssue['severity'], code: ConfigIssue['code'], path: PathSeg[], pos: Pos | undefined, message: string) => {
  ctx.issues.push({ severity, code, source: ctx.source, path: pathToString(path), ...(pos ? { line: pos.line, column: pos.column } : {}), message });
};

const scalarToString = (r: Extract<Raw, { t: 'scalar' }>): string | undefined => {
  const v = r.value;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return r.text ?? String(v);
  return undefined;
};

const topLevelKeys = configShape.kind === 'object' ? configShape.fields : {};

const unknownKeyMessage = (key: string, fields: Record<string, Shape>, path: PathSeg[]): string => {
  let msg = `unknown key "${key}", ignored`;
  const near = nearest(key, Object.keys(fields));
  if (near) return `${msg}; did you mean "${pathToString([...path.slice(0, -1), near])}"?`;
  if (path.length > 1 && aliasTable(topLevelKeys).has(key)) {
    return `${msg}; "${aliasTable(topLevelKeys).get(key)}" is a top-level key`;
  }
  const k3os = topLevelKeys.k3os;
  if (path.length === 1 && k3os?.kind === 'object' && aliasTable(k3os.fields).has(key)) {
    return `${msg}; did you mean "k3os.${aliasTable(k3os.fields).get(key)}"?`;
  }
  return msg;
};

const norm = (r: Raw, shape: Shape, path: PathSeg[], ctx: Ctx, context?: string): unknown => {
  if (r.pos) ctx.positions.set(pathToString(path), r.pos);
  if (r.t === 'scalar' && r.value === null && shape.kind !== 'string') return undefined;
  switch (shape.kind) {
    case 'object': {
      if (r.t !== 'map') break;
      const out: Record<string, unknown> = {};
      const seen = new Map<string, string>();
      const table = aliasTable(shape.fields, context);
      for (const e of r.entries) {
        const canonical = table.get(e.key);
        const childPath = [...path, canonical ?? e.key];
        if (canonical === undefined) {
          issue(ctx, 'warning', 'K3OS_UNKNOWN_KEY', childPath, e.keyPos ?? e.value.pos, unknownKeyMessage(e.key, shape.fields, childPath));
          continue;
        }
        const prev = seen.get(canonical);
        if (prev !== undefined) {
          issue(ctx, 'warning', 'K3OS_DUPLICATE_KEY', childPath, e.keyPos, `"${e.key}" repeats "${prev}" (same key); the later one wins`);
        }
        seen.set(canonical, e.key);
        if (e.keyPos) ctx.positions.set(pathToString(childPath), e.keyPos);
        const v = norm(e.value, shape.fields[canonical]!, childPath, ctx, canonical);
        if (v === undefined) delete out[canonical];
        else out[canonical] = v;
      }
      return out;
    }
    case 'record': {
      if (r.t !== 'map') break;
      const out: Record<string, unknown> = {};
      for (const e of r.entries) {
        const childPath = [...path, e.key];
        // Assigned to a plain object, "__proto__" would set its prototype: refused before it gets there.
        if (isPrototypeKey(e.key)) {
          issue(ctx, 'error', 'K3OS_INVALID_VALUE', childPath, e.keyPos ?? e.value.pos, `"${e.key}" cannot be a key`);
          continue;
        }
        if (e.keyPos) ctx.positions.set(pathToString(childPath), e.keyPos);
        // k3OS turned a null map value into "", keep that.
        const v = shape.value.kind === 'string' && e.value.t === 'scalar' && e.value.value === null
          ? ''
          : norm(e.value, shape.value, childPath, ctx);
        if (v !== undefined) out[e.key] = v;
      }
      return out;
    }
    case 'array': {
      if (r.t === 'scalar' && shape.item.kind === 'string') {
        const s = scalarToString(r);
        if (s !== undefined) return [s];
        break;
      }
      if (r.t !== 'seq') break;
      const out: unknown[] = [];
      r.items.forEach((item, i) => {
        const childPath = [...path, out.length];
        if (item.t === 'scalar' && item.value === null) {
          issue(ctx, 'warning', 'K3OS_NULL_ITEM', [...path, i], item.pos ?? r.pos, 'empty list item dropped');
          return;
        }
        const v = norm(item, shape.item, childPath, ctx, context);
        if (v !== undefined) out.push(v);
      });
      return out;
    }
    case 'string': {
      if (r.t !== 'scalar') break;
      if (r.value === null) return undefined;
      const s = scalarToString(r);
      if (s !== undefined) return s;
      break;
    }
    case 'boolean': {
      if (r.t !== 'scalar') break;
      if (typeof r.value === 'boolean') return r.value;
      if (r.value === 'true') return true;
      if (r.value === 'false') return false;
      break;
    }
    case 'number': {
      if (r.t !== 'scalar') break;
      if (typeof r.value === 'number') return r.value;
      if (typeof r.value === 'string' && /^-?\d+$/.test(r.value.trim())) return Number(r.value);
      break;
    }
  }
  issue(ctx, 'error', 'K3OS_INVALID_VALUE', path, r.pos, `expected ${describeShape(shape)}, got ${describeRaw(r)}`);
  return undefined;
};

/** write_files content given as YAML !!binary becomes base64 text. */
const liftBinaryContent = (r: Raw): Raw => {
  if (r.t !== 'map') return r;
  const wf = r.entries.filter((e) => aliasTable(fieldsOf(configShape)).get(e.key) === 'write_files');
  for (const e of wf) {
    if (e.value.t !== 'seq') continue;
    for (const item of e.value.items) {
      if (item.t !== 'map') continue;
      const content = item.entries.find((x) => x.key === 'content');
      if (!content || content.value.t !== 'scalar' || !(content.value.value instanceof Uint8Array)) continue;
      content.value = { ...content.value, value: Buffer.from(content.value.value).toString('base64'), text: undefined };
      if (!item.entries.some((x) => x.key === 'encoding')) item.entries.push({ key: 'encoding', value: { t: 'scalar', value: 'b64' } });
    }
  }
  return r;
};

const fieldsOf = (s: Shape): Record<string, Shape> => (s.kind === 'object' ? s.fields : {});

export const normalize = (source: string, raw: Raw): Normalized => {
  const ctx: Ctx = { source, positions: new Map(), issues: [] };
  if (raw.t === 'scalar' && raw.value === null) return { value: {}, positions: ctx.positions, issues: [] };
  if (raw.t !== 'map') {
    issue(ctx, 'error', 'K3OS_NOT_A_MAP', [], raw.pos, `a config must be a map of keys, got ${describeRaw(raw)}; source skipped`);
    return { value: undefined, positions: ctx.positions, issues: ctx.issues };
  }
  const value = norm(liftBinaryContent(raw), configShape, [], ctx) as Record<string, unknown>;
  return { value, positions: ctx.positions, issues: ctx.issues };
};
