// Classless static routes, DHCP option 121 (RFC 3442): a list of
// (prefix length, significant destination octets, router) triples.

export interface ClasslessRoute {
  /** Destination network, e.g. "10.0.0.0". */
  to: string;
  prefix: number;
  /** "0.0.0.0" means the destination is on-link (RFC 3442 section 2). */
  via: string;
}

export type RoutesResult = { ok: true; value: ClasslessRoute[] } | { ok: false; error: string };

export function parseClasslessRoutes(v: Uint8Array): RoutesResult {
  const out: ClasslessRoute[] = [];
  let off = 0;
  while (off < v.length) {
    const prefix = v[off]!;
    if (prefix > 32) return { ok: false, error: `prefix length ${prefix} at offset ${off}` };
    const sig = Math.ceil(prefix / 8);
    if (off + 1 + sig + 4 > v.length) {
      return { ok: false, error: `route at offset ${off} needs ${1 + sig + 4} bytes, ${v.length - off} left` };
    }
    const dst = [0, 0, 0, 0];
    for (let i = 0; i < sig; i++) dst[i] = v[off + 1 + i]!;
    // Bits past the prefix must be ignored by the client (RFC 3442 section 2).
    if (prefix % 8 !== 0) dst[sig - 1] = dst[sig - 1]! & (0xff << (8 - (prefix % 8))) & 0xff;
    const r = off + 1 + sig;
    out.push({ to: dst.join('.'), prefix, via: `${v[r]}.${v[r + 1]}.${v[r + 2]}.${v[r + 3]}` });
    off = r + 4;
  }
  return { ok: true, value: out };
}

export function encodeClasslessRoutes(routes: readonly ClasslessRoute[]): Uint8Array {
  const bytes: number[] = [];
  for (const r of routes) {
    bytes.push(r.prefix);
    const dst = r.to.split('.').map(Number);
    for (let i = 0; i < Math.ceil(r.prefix / 8); i++) bytes.push(dst[i]!);
    for (const p of r.via.split('.')) bytes.push(Number(p));
  }
  return Uint8Array.from(bytes);
}
