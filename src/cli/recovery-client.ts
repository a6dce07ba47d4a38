// The recovery menu's view of the control API. Answers stay raw (no schema): the
// menu must keep working against a half-broken PID 1 and only shows what it gets.
import { createControlTransport } from '../api/transport.ts';
import type { ControlPowerAction } from '../api/contract.ts';

export interface RecoveryClient {
  status(): Promise<unknown>;
  logs(lines: number): Promise<unknown>;
  /** POST /v1/services/<id>/restart; a 404 means this PID 1 does not offer it. */
  restartService(id: string): Promise<unknown>;
  power(action: ControlPowerAction): Promise<unknown>;
}

export function createRecoveryClient(opts: { socketPath?: string; timeoutMs?: number } = {}): RecoveryClient {
  const call = createControlTransport({ ...opts, timeoutMs: opts.timeoutMs ?? 5000 });
  return {
    status: () => call('GET', '/v1/status'),
    logs: (lines) => call('GET', `/v1/logs?lines=${lines}`),
    restartService: (id) => call('POST', `/v1/services/${encodeURIComponent(id)}/restart`),
    power: (action) => call('POST', `/v1/${action}`),
  };
}
