// Address syntax, shared by the schema (validation) and the network phase (planning).
import { isIPv4, isIPv6 } from 'node:net';

export interface Cidr {
  address: string;
  prefix: number;
  family: 4 | 6;
}

/** "10.0.0.2/24" or "fd00::2/64"; undefined when malformed. */
export function parseCidr(text: string): Cidr | undefined {
  const slash = text.lastIndexOf('/');
  if (slash < 0) return undefined;
  const address = text.slice(0, slash);
  const bits = text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(bits)) return undefined;
  const prefix = Number(bits);
  if (isIPv4(address)) return prefix <= 32 ? { address, prefix, family: 4 } : undefined;
  if (isIPv6(address)) return prefix <= 128 ? { address, prefix, family: 6 } : undefined;
  return undefined;
}

export const isCidr = (v: string): boolean => parseCidr(v) !== undefined;
export const isIp = (v: string): boolean => isIPv4(v) || isIPv6(v);
