// Clients of PID 1's control socket as an attacker or a broken program would be:
// raw bytes, thousands of silent connections, slow senders, big bodies; and the
// two probes that watch PID 1 meanwhile (GET /v1/status latency, RSS). Used by
// the hostile-client ns test and the control benchmark.
import fs from 'node:fs';
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** Bytes as sent; the answer as received until the server closes (or `ms` pass). */
export const rawExchange = (socketPath: string, bytes: string | Buffer, ms = 15_000) => new Promise<string>((resolve) => {
  const s = connect(socketPath);
  let text = '';
  s.on('data', (c) => { text += c.toString('latin1'); });
  s.on('error', () => resolve(text));
  s.on('close', () => resolve(text));
  s.setTimeout(ms, () => { s.destroy(); resolve(text); });
  if (bytes.length > 0) s.write(bytes);
});

export interface Answer { status: number; error?: string }

/** The status line and the JSON error's words of a raw answer; status 0 when nothing came back. */
export const parseAnswer = (raw: string): Answer => {
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(raw)?.[1] ?? 0);
  const body = raw.slice(raw.indexOf('\r\n\r\n') + 4);
  try {
    const error = (JSON.parse(body) as { error?: unknown }).error;
    return typeof error === 'string' ? { status, error } : { status };
  } catch {
    return { status };
  }
};

/** One GET /v1/status on a fresh connection: its time in ms, or why it failed. */
export const timedStatus = (socketPath: string, timeoutMs = 5_000) => new Promise<{ ms: number } | { failed: string }>((resolve) => {
  const t0 = performance.now();
  const req = request({ socketPath, path: '/v1/status', agent: false, timeout: timeoutMs }, (res) => {
    res.resume();
    res.on('end', () => resolve(res.statusCode === 200 ? { ms: performance.now() - t0 } : { failed: `HTTP ${res.statusCode}` }));
  });
  req.on('timeout', () => req.destroy(new Error(`no answer in ${timeoutMs} ms`)));
  req.on('error', (e) => resolve({ failed: e.message }));
  req.end();
});

/** Polls status and RSS until stopped: what a watcher of PID 1 saw while the clients ran. */
export class Watch {
  readonly latencies: number[] = [];
  readonly failures: string[] = [];
  readonly rssKb: number[] = [];
  #running = true;
  readonly #done: Promise<void>;
  constructor(socketPath: string, pid: number, everyMs = 50) {
    this.#done = (async () => {
      while (this.#running) {
        const r = await timedStatus(socketPath);
        if ('ms' in r) this.latencies.push(r.ms);
        else this.failures.push(r.failed);
        this.rssKb.push(rssKb(pid));
        await sleep(everyMs);
      }
    })();
  }
  async stop(): Promise<void> { this.#running = false; await this.#done; }
  p(q: number): number {
    const xs = [...this.latencies].sort((a, b) => a - b);
    return xs[Math.min(xs.length - 1, Math.floor(q * xs.length))] ?? NaN;
  }
}

export const rssKb = (pid: number): number => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
export const openFds = (pid: number): number => fs.readdirSync(`/proc/${pid}/fd`).length;

/** `n` connections that send nothing, opened `batch` at a time; some are closed by the server as more arrive. */
export async function silentClients(socketPath: string, n: number, batch = 200): Promise<Socket[]> {
  const sockets: Socket[] = [];
  for (let i = 0; i < n; i += batch) {
    await Promise.all(Array.from({ length: Math.min(batch, n - i) }, () => new Promise<void>((resolve) => {
      const s = connect(socketPath, () => resolve());
      s.on('error', () => resolve());
      s.on('close', () => resolve());
      sockets.push(s);
    })));
  }
  return sockets;
}

/** A client that sends a request's headers one byte every `everyMs` (slowloris): what it was answered. */
export async function slowClient(socketPath: string, everyMs: number): Promise<string> {
  const s = connect(socketPath);
  let text = '';
  let open = true;
  s.on('data', (c) => { text += c.toString('latin1'); });
  const closed = new Promise<void>((resolve) => { s.on('close', () => { open = false; resolve(); }); s.on('error', () => {}); });
  const headers = `GET /v1/status HTTP/1.1\r\nhost: x\r\nx-slow: ${'a'.repeat(10_000)}\r\n\r\n`;
  for (let i = 0; i < headers.length && open; i++) {
    s.write(headers[i]!);
    await Promise.race([sleep(everyMs), closed]);
  }
  await closed;
  return text;
}

/** Deterministic bytes (mulberry32), so a failing run can be replayed. */
export function randomBytes(seed: number, length: number): Buffer {
  let a = seed >>> 0;
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = ((t ^ (t >>> 14)) >>> 0) & 0xff;
  }
  return out;
}
