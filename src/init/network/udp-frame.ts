// IPv4 + UDP headers for DHCP over the packet socket, where the kernel's IP
// stack is bypassed (no address yet). Pure.

import { bytesToIp, ipToBytes } from './ipv4.ts';

export interface UdpDatagram {
  src: string;
  dst: string;
  srcPort: number;
  dstPort: number;
  payload: Uint8Array;
}

function sum16(b: Uint8Array, start: number, end: number, acc = 0): number {
  for (let i = start; i < end; i += 2) acc += (b[i]! << 8) | (i + 1 < end ? b[i + 1]! : 0);
  return acc;
}

function fold(acc: number): number {
  while (acc > 0xffff) acc = (acc & 0xffff) + (acc >>> 16);
  return ~acc & 0xffff;
}

export function buildIpUdp(d: UdpDatagram): Uint8Array {
  const udpLen = 8 + d.payload.length;
  const out = new Uint8Array(20 + udpLen);
  const dv = new DataView(out.buffer);
  out[0] = 0x45;
  dv.setUint16(2, out.length);
  out[8] = 64;
  out[9] = 17;
  out.set(ipToBytes(d.src)!, 12);
  out.set(ipToBytes(d.dst)!, 16);
  dv.setUint16(10, fold(sum16(out, 0, 20)));
  dv.setUint16(20, d.srcPort);
  dv.setUint16(22, d.dstPort);
  dv.setUint16(24, udpLen);
  out.set(d.payload, 28);
  // Pseudo-header: source, destination, zero + protocol, UDP length.
  let acc = sum16(out, 12, 20) + 17 + udpLen;
  acc = sum16(out, 20, out.length, acc);
  const c = fold(acc);
  dv.setUint16(26, c === 0 ? 0xffff : c);
  return out;
}

export type Parsed = { ok: true; value: UdpDatagram } | { ok: false; reason: string };

/**
 * The UDP checksum is not verified: with checksum offload (veth, virtio) a
 * packet socket sees packets whose checksum the NIC has not filled in yet.
 */
export function parseIpUdp(frame: Uint8Array): Parsed {
  if (frame.length < 28) return { ok: false, reason: `frame of ${frame.length} bytes` };
  if (frame[0]! >> 4 !== 4) return { ok: false, reason: 'not IPv4' };
  const ihl = (frame[0]! & 15) * 4;
  const dv = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const total = dv.getUint16(2);
  if (ihl < 20 || total < ihl + 8 || total > frame.length) return { ok: false, reason: `bad IPv4 lengths ihl=${ihl} total=${total}` };
  if (frame[9] !== 17) return { ok: false, reason: `protocol ${frame[9]}` };
  if ((dv.getUint16(6) & 0x3fff) !== 0) return { ok: false, reason: 'fragment' };
  const udpLen = dv.getUint16(ihl + 4);
  if (udpLen < 8 || ihl + udpLen > total) return { ok: false, reason: `bad UDP length ${udpLen}` };
  return {
    ok: true,
    value: {
      src: bytesToIp(frame, 12), dst: bytesToIp(frame, 16),
      srcPort: dv.getUint16(ihl), dstPort: dv.getUint16(ihl + 2),
      payload: frame.subarray(ihl + 8, ihl + udpLen),
    },
  };
}
