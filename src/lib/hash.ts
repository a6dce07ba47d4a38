type Json = unknown;

/** The value with every object's keys sorted, so equal content serialises equally. */
export const canonical = (v: Json): Json => {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical((v as Record<string, Json>)[k])]));
  }
  return v;
};

/**
 * sha256 of the canonical JSON, `sha256:<hex>`: PID 1's applied-config hash and the
 * agent's spec hash are this one function, so the two sides agree on what "applied" means.
 * node:crypto is loaded on first use: PID 1 does not need it to boot.
 */
export const canonicalHash = (v: Json): string =>
  `sha256:${process.getBuiltinModule('node:crypto').createHash('sha256').update(JSON.stringify(canonical(v ?? {}))).digest('hex')}`;
