// The recovery menu's side of the control API (HTTP/1.1 + JSON on PID 1's unix socket).
import { request } from 'node:http';

export const CONTROL_SOCKET = '/run/k3os/init.sock';

export type PowerAction = 'reboot' | 'poweroff';

export interface ControlClient {
  status(): Promise<unknown>;
  logs(lines: number): Promise<unknown>;
  /** POST /v1/services/<id>/restart (proposed route: see the console issue note). */
  restartService(id: string): Promise<unknown>;
  power(action: PowerAction): Promise<unknown>;
}

/** unreachable: no answer at all (socket missing, refused, timed out); http: an error status. */
export class ControlError extends Error {
  readonly kind: 'unreachable' | 'http';
  readonly status: number | undefined;
  constructor(kind: 'unreachable' | 'http', message: string, status?: number) {
    super(message);
    this.name = 'ControlError';
    this.kind = kind;
    this.status = status;
  }
}

export function createControlClient(opts: { socketPath?: string; timeoutMs?: number } = {}): ControlClient {
  const socketPath = opts.socketPath ?? CONTROL_SOCKET;
  const timeoutMs = opts.timeoutMs ?? 5000;
  const call = (method: string, path: string): Promise<unknown> => new Promise((resolve, reject) => {
    const req = request({ socketPath, method, path, headers: { accept: 'application/json' }, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', (e) => reject(new ControlError('unreachable', `${method} ${path}: ${e.message}`)));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown = text;
        if ((res.headers['content-type'] ?? '').includes('json') && text !== '') {
          try { body = JSON.parse(text); } catch { body = text; }
        }
        const status = res.statusCode ?? 0;
        if (status >= 200 && status < 300) { resolve(body); return; }
        const detail = typeof body === 'object' && body !== null && 'error' in body ? String((body as { error: unknown }).error) : text.trim();
        reject(new ControlError('http', `${method} ${path}: HTTP ${status}${detail ? `: ${detail}` : ''}`, status));
      });
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (e: NodeJS.ErrnoException) => reject(new ControlError('unreachable', `${method} ${path} on ${socketPath}: ${e.code ?? e.message}`)));
    req.end();
  });
  return {
    status: () => call('GET', '/v1/status'),
    logs: (lines) => call('GET', `/v1/logs?lines=${lines}`),
    restartService: (id) => call('POST', `/v1/services/${encodeURIComponent(id)}/restart`),
    power: (action) => call('POST', `/v1/${action}`),
  };
}
