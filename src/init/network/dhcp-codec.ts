// DHCPv4 wire format (RFC 2131 section 2, RFC 2132 options). Pure: bytes in,
// values or a typed decode error out. decode() never throws; every malformed
// input maps to one DecodeErrorCode so the client can log why it dropped it.

import { bytesToIp, ipToBytes } from './ipv4.ts';
import { parseClasslessRoutes, type ClasslessRoute } from './dhcp-routes.ts';

export const BOOTREQUEST = 1;
export const BOOTREPLY = 2;
export const MAGIC_COOKIE = 0x63825363;
export const FLAG_BROADCAST = 0x8000;
/** Fixed BOOTP header (236 bytes) plus the magic cookie. */
export const HEADER_LEN = 240;

export const MessageType = {
  discover: 1, offer: 2, request: 3, decline: 4, ack: 5, nak: 6, release: 7, inform: 8,
} as const;
export type MessageTypeName = keyof typeof MessageType;

export const Opt = {
  pad: 0, subnetMask: 1, router: 3, dns: 6, hostname: 12, domain: 15, mtu: 26, broadcast: 28,
  ntp: 42, requestedIp: 50, leaseTime: 51, overload: 52, messageType: 53, serverId: 54,
  paramRequest: 55, message: 56, maxSize: 57, t1: 58, t2: 59, clientId: 61, classlessRoutes: 121,
  end: 255,
} as const;

export interface DhcpMessage {
  op: number;
  xid: number;
  secs: number;
  flags: number;
  ciaddr: string;
  yiaddr: string;
  siaddr: string;
  giaddr: string;
  /** Hardware address, lower-case colon-separated (htype 1, hlen 6). */
  chaddr: string;
  /** Raw options in wire order (code -> concatenated value, RFC 3396). */
  options: Map<number, Uint8Array>;
}

export type DecodeErrorCode =
  | 'TRUNCATED' | 'BAD_OP' | 'BAD_HTYPE' | 'BAD_COOKIE' | 'OPTION_OVERRUN' | 'NO_END'
  | 'BAD_OPTION_LENGTH' | 'NO_MESSAGE_TYPE' | 'BAD_MESSAGE_TYPE' | 'BAD_ROUTES';

export interface DecodeError { code: DecodeErrorCode; detail: string }
export type Decoded<T> = { ok: true; value: T } | { ok: false; error: DecodeError };

const fail = <T>(code: DecodeErrorCode, detail: string): Decoded<T> => ({ ok: false, error: { code, detail } });

export function macToBytes(mac: string): Uint8Array {
  const parts = mac.split(':');
  if (parts.length !== 6 || parts.some((p) => !/^[0-9a-fA-F]{2}$/.test(p))) {
    throw new TypeError(`not a MAC address: ${JSON.stringify(mac)}`);
  }
  return Uint8Array.from(parts.map((p) => parseInt(p, 16)));
}

export function bytesToMac(b: Uint8Array, off = 0, len = 6): string {
  const out: string[] = [];
  for (let i = 0; i < len; i++) out.push(b[off + i]!.toString(16).padStart(2, '0'));
  return out.join(':');
}

function putIp(buf: Uint8Array, off: number, ip: string): void {
  const b = ipToBytes(ip);
  if (!b) throw new TypeError(`not an IPv4 address: ${JSON.stringify(ip)}`);
  buf.set(b, off);
}

/** Options are written in insertion order; values longer than 255 bytes are split (RFC 3396). */
export function encode(msg: DhcpMessage): Uint8Array {
  let optLen = 1;
  for (const v of msg.options.values()) optLen += Math.max(1, Math.ceil(v.length / 255)) * 2 + v.length;
  // 300 bytes is the BOOTP minimum some relays and servers still insist on.
  const buf = new Uint8Array(Math.max(HEADER_LEN + optLen, 300));
  const dv = new DataView(buf.buffer);
  buf[0] = msg.op;
  buf[1] = 1;
  buf[2] = 6;
  buf[3] = 0;
  dv.setUint32(4, msg.xid >>> 0);
  dv.setUint16(8, msg.secs);
  dv.setUint16(10, msg.flags);
  putIp(buf, 12, msg.ciaddr);
  putIp(buf, 16, msg.yiaddr);
  putIp(buf, 20, msg.siaddr);
  putIp(buf, 24, msg.giaddr);
  buf.set(macToBytes(msg.chaddr), 28);
  dv.setUint32(236, MAGIC_COOKIE);
  let off = HEADER_LEN;
  for (const [code, value] of msg.options) {
    let pos = 0;
    do {
      const chunk = value.subarray(pos, pos + 255);
      buf[off++] = code;
      buf[off++] = chunk.length;
      buf.set(chunk, off);
      off += chunk.length;
      pos += 255;
    } while (pos < value.length);
  }
  buf[off] = Opt.end;
  return buf;
}

function readOptions(buf: Uint8Array, start: number, end: number, into: Map<number, Uint8Array>): DecodeError | undefined {
  let off = start;
  while (off < end) {
    const code = buf[off]!;
    if (code === Opt.pad) { off++; continue; }
    if (code === Opt.end) return undefined;
    if (off + 1 >= end) return { code: 'OPTION_OVERRUN', detail: `option ${code} has no length byte at offset ${off}` };
    const len = buf[off + 1]!;
    if (off + 2 + len > end) {
      return { code: 'OPTION_OVERRUN', detail: `option ${code} length ${len} runs past the end at offset ${off}` };
    }
    const value = buf.subarray(off + 2, off + 2 + len);
    const prev = into.get(code);
    into.set(code, prev ? concat(prev, value) : value);
    off += 2 + len;
  }
  return start === HEADER_LEN ? { code: 'NO_END', detail: 'options end without the end option' } : undefined;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

export function decode(buf: Uint8Array): Decoded<DhcpMessage> {
  if (buf.length < HEADER_LEN) return fail('TRUNCATED', `${buf.length} bytes, need at least ${HEADER_LEN}`);
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const op = buf[0]!;
  if (op !== BOOTREQUEST && op !== BOOTREPLY) return fail('BAD_OP', `op ${op}`);
  if (buf[1] !== 1 || buf[2] !== 6) return fail('BAD_HTYPE', `htype ${buf[1]} hlen ${buf[2]}`);
  const cookie = dv.getUint32(236);
  if (cookie !== MAGIC_COOKIE) return fail('BAD_COOKIE', `cookie 0x${cookie.toString(16)}`);
  const options = new Map<number, Uint8Array>();
  const err = readOptions(buf, HEADER_LEN, buf.length, options);
  if (err) return { ok: false, error: err };
  // Option overload (RFC 2132 9.3): 1 = file holds options, 2 = sname, 3 = both.
  const overload = options.get(Opt.overload);
  if (overload) {
    if (overload.length !== 1) return fail('BAD_OPTION_LENGTH', `overload option length ${overload.length}`);
    const o = overload[0]!;
    if (o & 1) {
      const e = readOptions(buf, 108, 236, options);
      if (e) return { ok: false, error: e };
    }
    if (o & 2) {
      const e = readOptions(buf, 44, 108, options);
      if (e) return { ok: false, error: e };
    }
  }
  return {
    ok: true,
    value: {
      op, xid: dv.getUint32(4), secs: dv.getUint16(8), flags: dv.getUint16(10),
      ciaddr: bytesToIp(buf, 12), yiaddr: bytesToIp(buf, 16), siaddr: bytesToIp(buf, 20), giaddr: bytesToIp(buf, 24),
      chaddr: bytesToMac(buf, 28), options,
    },
  };
}

/** The options a client acts on, checked for length and range. */
export interface ReplyOptions {
  messageType: MessageTypeName;
  serverId?: string;
  subnetMask?: string;
  routers: string[];
  dns: string[];
  ntp: string[];
  domain?: string;
  hostname?: string;
  mtu?: number;
  leaseTime?: number;
  t1?: number;
  t2?: number;
  classlessRoutes?: ClasslessRoute[];
  message?: string;
}

const typeNames = new Map<number, MessageTypeName>(
  Object.entries(MessageType).map(([k, v]) => [v, k as MessageTypeName]),
);

function ipList(v: Uint8Array): string[] | undefined {
  if (v.length === 0 || v.length % 4 !== 0) return undefined;
  const out: string[] = [];
  for (let i = 0; i < v.length; i += 4) out.push(bytesToIp(v, i));
  return out;
}

const u32 = (v: Uint8Array): number => ((v[0]! << 24) | (v[1]! << 16) | (v[2]! << 8) | v[3]!) >>> 0;
const text = (v: Uint8Array): string => new TextDecoder('latin1').decode(v).replace(/\0+$/, '');

export function readReplyOptions(msg: DhcpMessage): Decoded<ReplyOptions> {
  const o = msg.options;
  const mt = o.get(Opt.messageType);
  if (!mt) return fail('NO_MESSAGE_TYPE', 'no option 53');
  if (mt.length !== 1) return fail('BAD_OPTION_LENGTH', `option 53 length ${mt.length}`);
  const messageType = typeNames.get(mt[0]!);
  if (!messageType) return fail('BAD_MESSAGE_TYPE', `message type ${mt[0]}`);
  const out: ReplyOptions = { messageType, routers: [], dns: [], ntp: [] };
  const fixed4 = (code: number, name: string): Decoded<Uint8Array | undefined> => {
    const v = o.get(code);
    if (v && v.length !== 4) return fail('BAD_OPTION_LENGTH', `${name} (option ${code}) length ${v.length}`);
    return { ok: true, value: v };
  };
  for (const [code, key] of [[Opt.serverId, 'serverId'], [Opt.subnetMask, 'subnetMask']] as const) {
    const r = fixed4(code, key);
    if (!r.ok) return r;
    if (r.value) out[key] = bytesToIp(r.value);
  }
  for (const [code, key] of [[Opt.leaseTime, 'leaseTime'], [Opt.t1, 't1'], [Opt.t2, 't2']] as const) {
    const r = fixed4(code, key);
    if (!r.ok) return r;
    if (r.value) out[key] = u32(r.value);
  }
  for (const [code, key] of [[Opt.router, 'routers'], [Opt.dns, 'dns'], [Opt.ntp, 'ntp']] as const) {
    const v = o.get(code);
    if (!v) continue;
    const list = ipList(v);
    if (!list) return fail('BAD_OPTION_LENGTH', `${key} (option ${code}) length ${v.length}`);
    out[key] = list;
  }
  const mtu = o.get(Opt.mtu);
  if (mtu) {
    if (mtu.length !== 2) return fail('BAD_OPTION_LENGTH', `mtu (option 26) length ${mtu.length}`);
    const n = (mtu[0]! << 8) | mtu[1]!;
    // RFC 2132 5.1: the minimum legal value is 68; ignore nonsense rather than break the link.
    if (n >= 68) out.mtu = n;
  }
  const domain = o.get(Opt.domain);
  if (domain && domain.length > 0) out.domain = text(domain);
  const hostname = o.get(Opt.hostname);
  if (hostname && hostname.length > 0) out.hostname = text(hostname);
  const message = o.get(Opt.message);
  if (message && message.length > 0) out.message = text(message);
  const routes = o.get(Opt.classlessRoutes);
  if (routes) {
    const r = parseClasslessRoutes(routes);
    if (!r.ok) return fail('BAD_ROUTES', r.error);
    out.classlessRoutes = r.value;
  }
  return { ok: true, value: out };
}

export const u32Bytes = (n: number): Uint8Array => Uint8Array.of((n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255);
export const ipOption = (ip: string): Uint8Array => {
  const b = ipToBytes(ip);
  if (!b) throw new TypeError(`not an IPv4 address: ${JSON.stringify(ip)}`);
  return b;
};
