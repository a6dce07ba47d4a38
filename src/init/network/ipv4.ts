// Dotted-quad IPv4 helpers. Addresses travel as strings through config, the
// DHCP lease and the netlink facade; bytes only exist inside the codecs.

export function ipToBytes(ip: string): Uint8Array | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4) return undefined;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const p = parts[i]!;
    if (!/^\d{1,3}$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    out[i] = n;
  }
  return out;
}

export function isIPv4(ip: string): boolean {
  return ipToBytes(ip) !== undefined;
}

export function bytesToIp(b: Uint8Array, off = 0): string {
  return `${b[off]}.${b[off + 1]}.${b[off + 2]}.${b[off + 3]}`;
}

export function ipToInt(ip: string): number {
  const b = ipToBytes(ip);
  if (!b) throw new TypeError(`not an IPv4 address: ${JSON.stringify(ip)}`);
  return ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0;
}

export function intToIp(n: number): string {
  return `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

/** Prefix length of a contiguous netmask, or undefined for a non-contiguous one. */
export function maskToPrefix(mask: string): number | undefined {
  const b = ipToBytes(mask);
  if (!b) return undefined;
  const n = ipToInt(mask);
  const inv = ~n >>> 0;
  if ((inv & (inv + 1)) !== 0) return undefined;
  let bits = 0;
  for (let v = n; v !== 0; v = (v << 1) >>> 0) bits++;
  return bits;
}

export function prefixToMask(prefix: number): string {
  return intToIp(prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0);
}

export function networkOf(ip: string, prefix: number): string {
  return intToIp((ipToInt(ip) & ipToInt(prefixToMask(prefix))) >>> 0);
}

