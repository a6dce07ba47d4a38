// SNTP (RFC 4330) client: one query gives the clock offset; the owner steps
// the clock on the first answer (TLS needs a sane clock before k3s starts)
// and then keeps it in step, slewing small offsets.

import { createSocket } from 'node:dgram';
import type { Delay } from '../../lib/time.ts';
import type { Owned } from '../../lib/owned.ts';
import type { NetLog } from './dhcp-client.ts';

const NTP_EPOCH_OFFSET_S = 2208988800;
export const NTP_PORT = 123;

export function toNtp(ms: number, out: DataView, off: number): void {
  const s = Math.floor(ms / 1000);
  out.setUint32(off, (s + NTP_EPOCH_OFFSET_S) >>> 0);
  out.setUint32(off + 4, Math.floor(((ms - s * 1000) / 1000) * 0x100000000) >>> 0);
}

export function fromNtp(v: DataView, off: number): number {
  return (v.getUint32(off) - NTP_EPOCH_OFFSET_S) * 1000 + (v.getUint32(off + 4) / 0x100000000) * 1000;
}

export function sntpRequest(nowMs: number): Uint8Array {
  const b = new Uint8Array(48);
  b[0] = (0 << 6) | (4 << 3) | 3;
  toNtp(nowMs, new DataView(b.buffer), 40);
  return b;
}

export type SntpResult = { ok: true; offsetMs: number; delayMs: number; stratum: number; leap: number } | { ok: false; reason: string };

/** Checks an answer against RFC 4330 section 5 and computes offset and round-trip delay. */
export function sntpResponse(reply: Uint8Array, request: Uint8Array, t4: number): SntpResult {
  if (reply.length < 48) return { ok: false, reason: `${reply.length} bytes` };
  const v = new DataView(reply.buffer, reply.byteOffset, reply.byteLength);
  const li = reply[0]! >> 6;
  const mode = reply[0]! & 7;
  const stratum = reply[1]!;
  if (mode !== 4 && mode !== 5) return { ok: false, reason: `mode ${mode}` };
  if (li === 3) return { ok: false, reason: 'server clock not synchronized' };
  // Stratum 0 is a kiss-o'-death: the reference id holds the kiss code (RATE, DENY, ...).
  if (stratum === 0) return { ok: false, reason: `kiss-o'-death ${JSON.stringify(String.fromCharCode(...reply.subarray(12, 16)))}` };
  if (stratum > 15) return { ok: false, reason: `stratum ${stratum} (unsynchronized)` };
  for (let i = 0; i < 8; i++) if (reply[24 + i] !== request[40 + i]) return { ok: false, reason: 'originate timestamp does not match' };
  if (v.getUint32(40) === 0 && v.getUint32(44) === 0) return { ok: false, reason: 'no transmit timestamp' };
  const t1 = fromNtp(v, 24);
  const t2 = fromNtp(v, 32);
  const t3 = fromNtp(v, 40);
  return { ok: true, offsetMs: ((t2 - t1) + (t3 - t4)) / 2, delayMs: (t4 - t1) - (t3 - t2), stratum, leap: li };
}

export async function sntpQuery(server: string, timeoutMs: number, wallNow: () => number = Date.now, port = NTP_PORT): Promise<SntpResult> {
  const sock = createSocket(server.includes(':') ? 'udp6' : 'udp4');
  try {
    return await new Promise<SntpResult>((resolve) => {
      const req = sntpRequest(wallNow());
      // A bad reply does not end the wait (it may be forged or stale); it only explains a timeout.
      let rejected = '';
      const timer = setTimeout(() => resolve({ ok: false, reason: `no usable answer in ${timeoutMs} ms${rejected}` }), timeoutMs);
      sock.on('error', (err) => { clearTimeout(timer); resolve({ ok: false, reason: err.message }); });
      sock.on('message', (msg, rinfo) => {
        if (rinfo.port !== port) return;
        const r = sntpResponse(msg, req, wallNow());
        if (!r.ok) { rejected = `; rejected: ${r.reason}`; return; }
        clearTimeout(timer);
        resolve(r);
      });
      sock.send(req, port, server, (err) => { if (err) { clearTimeout(timer); resolve({ ok: false, reason: err.message }); } });
    });
  } finally {
    sock.close();
  }
}

/** Offsets beyond this are stepped; smaller ones are slewed by adjtime. */
export const STEP_THRESHOLD_MS = 500;

export interface SntpOwnerOptions {
  servers: () => readonly string[];
  setClock: (epochMs: number) => void;
  slewClock: (deltaMs: number) => void;
  log: NetLog;
  delay: Delay;
  intervalMs?: number;
  timeoutMs?: number;
  wallNow?: () => number;
  port?: number;
}

export class SntpOwner implements Owned {
  readonly name = 'sntp';
  private readonly o: SntpOwnerOptions;
  private abort = new AbortController();
  private loop: Promise<void> | undefined;

  constructor(o: SntpOwnerOptions) { this.o = o; }

  /** One round over the servers; true when the clock was set from one of them. */
  async syncOnce(): Promise<boolean> {
    const now = this.o.wallNow ?? Date.now;
    for (const server of this.o.servers()) {
      const r = await sntpQuery(server, this.o.timeoutMs ?? 2000, now, this.o.port);
      if (!r.ok) {
        this.o.log.warn({ server, reason: r.reason }, 'sntp: no usable answer');
        continue;
      }
      if (Math.abs(r.offsetMs) > STEP_THRESHOLD_MS) this.o.setClock(now() + r.offsetMs);
      else this.o.slewClock(r.offsetMs);
      this.o.log.info({ server, offsetMs: Math.round(r.offsetMs), delayMs: Math.round(r.delayMs) }, 'sntp: clock in step');
      return true;
    }
    return false;
  }

  /** Resolves after the first round, so the caller knows the clock was tried before it goes on. */
  async start(): Promise<void> {
    if (this.loop) return;
    const signal = this.abort.signal;
    const round = (): Promise<unknown> => this.syncOnce().catch((err: unknown) => this.o.log.warn({ err }, 'sntp: round failed'));
    const first = round();
    this.loop = (async () => {
      await first;
      while (!signal.aborted) {
        await this.o.delay(this.o.intervalMs ?? 15 * 60_000, signal);
        if (!signal.aborted) await round();
      }
    })();
    await first;
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.loop;
  }
}
