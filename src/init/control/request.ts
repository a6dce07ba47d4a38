// What the control server decides about a request before any handler runs,
// as pure functions: the target, the path's escapes, the body's nesting.
// Each answers a reason a client can act on, or the checked value.

export type Checked<T> = { ok: true; value: T } | { ok: false; reason: string };

/**
 * Only origin-form targets (`/v1/status?x=1`): the API has one host, so an
 * absolute-form target (`http://x/v1/status`) or one starting `//` (which URL
 * parsing reads as a host) is a client's mistake, answered as one.
 */
export function originTarget(raw: string): Checked<URL> {
  if (!raw.startsWith('/')) return { ok: false, reason: `request target "${clip(raw)}" must be a path starting with / (origin-form)` };
  if (raw.startsWith('//')) return { ok: false, reason: `request target "${clip(raw)}" must not start with //` };
  try {
    return { ok: true, value: new URL(raw, 'http://localhost') };
  } catch {
    return { ok: false, reason: `request target "${clip(raw)}" is not a valid path` };
  }
}

/** One path segment, percent-decoded. */
export function decodeSegment(segment: string): Checked<string> {
  try {
    return { ok: true, value: decodeURIComponent(segment) };
  } catch {
    return { ok: false, reason: `"${clip(segment)}" has an invalid percent-escape` };
  }
}

/**
 * How deeply `text` nests JSON arrays and objects, stopping at `max + 1`:
 * checked before JSON.parse, because every later step (the config loader,
 * JSON.stringify) recurses, and 100,000 levels overflow the stack.
 */
export function jsonDepth(text: string, max: number): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // a backslash escapes the next character, a quote included
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      depth++;
      if (depth > deepest) deepest = depth;
      if (deepest > max) return deepest;
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
  return deepest;
}

/** Quoted client input, cut short: an answer never echoes a whole hostile request. */
const clip = (s: string): string => (s.length > 80 ? `${s.slice(0, 80)}...` : s);
