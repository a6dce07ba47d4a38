// The one way to send a request to PID 1's control API (HTTP/1.1 + JSON on its
// unix socket), so every client sees the same answers and the same ControlError.
// It does not check answers: the agent's client validates them (client.ts), the
// recovery menu takes them raw because it must cope with a half-broken PID 1.
import { request } from 'node:http';
import { CONTROL_SOCKET } from './contract.ts';

export class ControlError extends Error {
  /** The HTTP status; 0 when nobody answered (no socket, refused, timed out, cut off). */
  readonly status: number;
  /** The server's `details`, when its error answer had any. */
  readonly details: unknown;
  constructor(message: string, status: number, details?: unknown) {
    super(message);
    this.name = 'ControlError';
    this.status = status;
    this.details = details;
  }
}

/** One request; resolves with a 2xx answer's body, rejects with ControlError. */
export type ControlCall = (method: string, path: string, body?: unknown) => Promise<unknown>;

export interface ControlTransportOptions {
  socketPath?: string;
  /** How long the socket may stay silent before the request counts as unanswered. */
  timeoutMs: number;
}

/** JSON when it parses, else the text as sent (a broken PID 1 may answer anything); undefined when empty. */
export function answerBody(text: string): unknown {
  if (text.trim() === '') return undefined;
  try { return JSON.parse(text); } catch { return text; }
}

/** A non-2xx answer as an error naming the request, the status and the server's own words. */
export function httpError(method: string, path: string, status: number, body: unknown): ControlError {
  const fields = typeof body === 'object' && body !== null ? body as { error?: unknown; details?: unknown } : {};
  const said = fields.error !== undefined ? String(fields.error) : typeof body === 'string' ? body.trim() : '';
  return new ControlError(`${method} ${path}: HTTP ${status}${said ? `: ${said}` : ''}`, status, fields.details);
}

export function createControlTransport(opts: ControlTransportOptions): ControlCall {
  const socketPath = opts.socketPath ?? CONTROL_SOCKET;
  const { timeoutMs } = opts;
  return (method, path, body) => new Promise((resolve, reject) => {
    const unanswered = (err: NodeJS.ErrnoException) => reject(new ControlError(`${method} ${path} on ${socketPath}: ${err.code ?? err.message}`, 0));
    const payload = body === undefined ? undefined : JSON.stringify(body);
    // A fresh connection each time (agent: false): a pooled one can outlive the server
    // that accepted it and fail with EPIPE instead of telling who answers now.
    const req = request({
      socketPath, method, path, timeout: timeoutMs, agent: false,
      headers: { accept: 'application/json', ...(payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }) },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', unanswered);
      res.on('end', () => {
        const answer = answerBody(Buffer.concat(chunks).toString('utf8'));
        const status = res.statusCode ?? 0;
        if (status >= 200 && status < 300) resolve(answer);
        else reject(httpError(method, path, status, answer));
      });
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', unanswered);
    req.end(payload);
  });
}
