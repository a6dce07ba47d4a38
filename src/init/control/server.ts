// PID 1's control API: HTTP/1.1 + JSON on a unix socket that only root may
// open. Every request is validated here; handlers get checked values only.
// Errors are JSON { error, details }.
import { chmodSync, mkdirSync, rmSync } from 'node:fs';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { dirname } from 'node:path';
import type { z } from 'zod';
import type { Owned } from '../../lib/owned.ts';
import { checkConfigBody, logsQuery, powerBody, serviceId } from '../../api/requests.ts';
import type { ControlHandlers, ControlPowerAction } from '../../api/contract.ts';
import { CONTROL_SOCKET } from '../../api/contract.ts';

const MAX_BODY = 1 << 20;

class HttpError extends Error {
  readonly status: number;
  readonly details: unknown;
  constructor(status: number, message: string, details?: unknown) {
    super(message);
    this.status = status;
    this.details = details;
  }
}

export interface ControlServerOptions {
  socketPath?: string;
  log?: { error(obj: object, msg: string): void };
}

export interface ControlServer extends Owned {
  readonly socketPath: string;
}

const reply = (res: ServerResponse, status: number, body: unknown): void => {
  const text = `${JSON.stringify(body)}\n`;
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
};

const readJson = (req: IncomingMessage): Promise<unknown> => new Promise((resolve, reject) => {
  const chunks: Buffer[] = [];
  let size = 0;
  req.on('data', (c: Buffer) => {
    size += c.length;
    if (size > MAX_BODY) { reject(new HttpError(413, `request body larger than ${MAX_BODY} bytes`)); req.destroy(); return; }
    chunks.push(c);
  });
  req.on('error', reject);
  req.on('end', () => {
    const text = Buffer.concat(chunks).toString('utf8');
    if (text.trim() === '') { resolve(undefined); return; }
    try { resolve(JSON.parse(text)); } catch (e) { reject(new HttpError(400, 'request body is not JSON', (e as Error).message)); }
  });
});

const parse = <T>(schema: z.ZodType<T>, value: unknown, what: string): T => {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  throw new HttpError(400, `invalid ${what}`, r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
};

type Route = (req: IncomingMessage, url: URL, match: RegExpExecArray) => Promise<[number, unknown]>;

export function createControlServer(handlers: ControlHandlers, opts: ControlServerOptions = {}): ControlServer {
  const socketPath = opts.socketPath ?? CONTROL_SOCKET;
  const power = (action: ControlPowerAction): Route => async (req) => {
    const body = parse(powerBody, (await readJson(req)) ?? {}, `${action} request`);
    await handlers.power({ kind: 'power', action, reason: body.reason ?? `control API: POST /v1/${action}` });
    return [202, { accepted: true, action }];
  };
  const routes: Array<{ method: string; path: RegExp; run: Route }> = [
    { method: 'GET', path: /^\/v1\/status$/, run: async () => [200, await handlers.status()] },
    { method: 'GET', path: /^\/v1\/config$/, run: async () => [200, await handlers.effectiveConfig()] },
    {
      method: 'PUT', path: /^\/v1\/config$/, run: async (req) => {
        const check = checkConfigBody(await readJson(req));
        if (!check.ok) throw new HttpError(400, 'invalid config', { errors: check.errors, warnings: check.warnings });
        return [200, { ...(await handlers.applyConfig(check.config)), warnings: check.warnings }];
      },
    },
    { method: 'POST', path: /^\/v1\/reboot$/, run: power('reboot') },
    { method: 'POST', path: /^\/v1\/poweroff$/, run: power('poweroff') },
    {
      method: 'GET', path: /^\/v1\/logs$/, run: async (_req, url) => {
        const q = parse(logsQuery, Object.fromEntries(url.searchParams), 'logs query');
        return [200, { entries: await handlers.logs(q.lines) }];
      },
    },
    {
      method: 'POST', path: /^\/v1\/services\/([^/]+)\/restart$/, run: async (_req, _url, m) => {
        if (!handlers.restartService) throw new HttpError(404, 'no such route: POST /v1/services/<id>/restart');
        const id = parse(serviceId, decodeURIComponent(m[1] ?? ''), 'service id');
        await handlers.restartService(id);
        return [202, { accepted: true, service: id }];
      },
    },
  ];

  // Not an ESM import: Node's ESM facade of node:http reads every export, including the lazy
  // WebSocket getters that load undici (~25 ms on the host, ~1 s of PID 1's start under TCG);
  // and loaded here, after the readiness line, rather than while PID 1 starts (docs/image.md).
  const { createServer } = process.getBuiltinModule('node:http');
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const candidates = routes.filter((r) => r.path.test(url.pathname));
    const route = candidates.find((r) => r.method === req.method);
    void (async () => {
      try {
        if (!route) {
          if (candidates.length > 0) {
            res.setHeader('allow', candidates.map((r) => r.method).join(', '));
            throw new HttpError(405, `method ${req.method} not allowed on ${url.pathname}`);
          }
          throw new HttpError(404, `no such route: ${req.method} ${url.pathname}`);
        }
        const [status, body] = await route.run(req, url, route.path.exec(url.pathname) as RegExpExecArray);
        reply(res, status, body);
      } catch (e) {
        const err = e instanceof HttpError ? e : new HttpError(500, (e as Error).message ?? String(e));
        if (err.status === 500) opts.log?.error({ err: e, path: url.pathname }, 'control: handler failed');
        if (!res.headersSent) reply(res, err.status, { error: err.message, ...(err.details !== undefined ? { details: err.details } : {}) });
      }
    })();
  });

  let listening = false;
  return {
    name: 'control',
    socketPath,
    start: () => new Promise<void>((resolve, reject) => {
      if (listening) { resolve(); return; }
      // The directory is root-only, so the socket is never reachable before its chmod.
      mkdirSync(dirname(socketPath), { recursive: true, mode: 0o700 });
      rmSync(socketPath, { force: true });
      server.once('error', reject);
      server.listen(socketPath, () => {
        server.off('error', reject);
        chmodSync(socketPath, 0o600);
        listening = true;
        resolve();
      });
    }),
    stop: () => new Promise<void>((resolve) => {
      if (!listening) { resolve(); return; }
      listening = false;
      server.close(() => { rmSync(socketPath, { force: true }); resolve(); });
      server.closeAllConnections();
    }),
  };
}
