// PID 1's control API as the agent and `k3os status` / `k3os apply` use it:
// answers are validated here, at the edge, so callers can trust their shape.
// (The recovery menu takes them raw: src/cli/recovery-client.ts.)
import { z } from 'zod';
import type { K3OSConfig } from '../config/index.ts';
import { ControlError, createControlTransport } from './transport.ts';
import type { ApplyResult, ControlPowerAction, ControlStatus, LogEntry } from './contract.ts';

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
  power(action: ControlPowerAction, reason?: string): Promise<void>;
  logs(lines: number): Promise<LogEntry[]>;
}

export function createControlClient(opts: { socketPath?: string; timeoutMs?: number } = {}): ControlClient {
  const call = createControlTransport({ ...opts, timeoutMs: opts.timeoutMs ?? 30_000 });
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
