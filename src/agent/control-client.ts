// The client side of PID 1's control API, used by the agent and by
// `k3os status` / `k3os apply`. Answers are validated at this edge.
// (src/cli/recovery-client.ts is the recovery console's own, smaller client.)
import { request } from 'node:http';
import { z } from 'zod';
import type { K3OSConfig } from '../config/index.ts';
import type { ApplyResult, ControlStatus, LogEntry } from '../init/control/types.ts';
import { CONTROL_SOCKET } from '../init/control/types.ts';

export class ControlError extends Error {
  /** 0 when the socket did not answer at all. */
  readonly status: number;
  readonly details: unknown;
  constructor(message: string, status: number, details?: unknown) {
    super(message);
    this.name = 'ControlError';
    this.status = status;
    this.details = details;
  }
}

const statusSchema = z.looseObject({
  hostname: z.string(), mode: z.string(), bootId: z.string(), kernel: z.string(),
  os: z.object({ name: z.string(), version: z.string() }),
  k3s: z.object({ state: z.string(), version: z.string().optional(), pid: z.number().optional() }),
  uptimeMs: z.number(),
  pendingReboot: z.object({ rebootRequired: z.boolean(), rebootKeys: z.array(z.string()).optional(), reasons: z.array(z.string()).optional() }).optional(),
});

const applySchema = z.object({
  applied: z.array(z.string()),
  failed: z.array(z.object({ key: z.string(), error: z.string() })),
  rebootRequired: z.boolean(),
  rebootKeys: z.array(z.string()).optional(),
  reasons: z.array(z.string()).optional(),
  hash: z.string().optional(),
  warnings: z.array(z.string()).optional(),
});

const logsSchema = z.object({ entries: z.array(z.looseObject({ time: z.string(), level: z.string(), msg: z.string() })) });

export interface ControlClient {
  status(): Promise<ControlStatus>;
  effectiveConfig(): Promise<K3OSConfig>;
  applyConfig(config: unknown): Promise<ApplyResult & { warnings?: string[] }>;
  power(action: 'reboot' | 'poweroff', reason?: string): Promise<void>;
  logs(lines: number): Promise<LogEntry[]>;
}

export function createControlClient(opts: { socketPath?: string; timeoutMs?: number } = {}): ControlClient {
  const socketPath = opts.socketPath ?? CONTROL_SOCKET;
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const call = (method: string, path: string, body?: unknown): Promise<unknown> => new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request({
      socketPath, method, path, timeout: timeoutMs,
      headers: { accept: 'application/json', ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}) },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try { json = JSON.parse(text); } catch { json = undefined; }
        const status = res.statusCode ?? 0;
        if (status >= 200 && status < 300) { resolve(json); return; }
        const e = (json ?? {}) as { error?: string; details?: unknown };
        reject(new ControlError(`${method} ${path}: ${e.error ?? `HTTP ${status}`}`, status, e.details));
      });
      res.on('error', (err) => reject(new ControlError(`${method} ${path}: ${err.message}`, 0)));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (err: NodeJS.ErrnoException) => reject(new ControlError(`${method} ${path} on ${socketPath}: ${err.code ?? err.message}`, 0)));
    req.end(payload);
  });
  const checked = <T>(schema: z.ZodType<T>, what: string) => (v: unknown): T => {
    const r = schema.safeParse(v);
    if (!r.success) throw new ControlError(`${what}: unexpected answer: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, 200);
    return r.data;
  };
  return {
    status: () => call('GET', '/v1/status').then(checked(statusSchema, 'GET /v1/status')) as Promise<ControlStatus>,
    effectiveConfig: () => call('GET', '/v1/config').then(checked(z.record(z.string(), z.unknown()), 'GET /v1/config')) as Promise<K3OSConfig>,
    applyConfig: (config) => call('PUT', '/v1/config', config).then(checked(applySchema, 'PUT /v1/config')),
    power: async (action, reason) => { await call('POST', `/v1/${action}`, reason ? { reason } : {}); },
    logs: (lines) => call('GET', `/v1/logs?lines=${lines}`).then(checked(logsSchema, 'GET /v1/logs')).then((r) => r.entries as LogEntry[]),
  };
}
