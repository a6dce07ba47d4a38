// PID 1's control API: HTTP/1.1 + JSON on a unix socket that only root may
// open. Every request is validated here; handlers get checked values only.
// Errors are JSON { error, details }: 4xx with a reason for anything a client
// sent, 500 only for a handler's own failure.
//
// No client can make PID 1 hold more than a bound (its heap is 96 MB, and an
// abort is a kernel panic; LIMITS): a cap on sockets (about 3.5 KB each), the
// oldest silent or idle one closed to make room, so a flood of silent clients
// never locks out the CLI or the agent;
// header/request/keep-alive timeouts, 1 MiB per body and a budget for all
// bodies at once, nesting checked before JSON.parse; and when the heap passes
// `shedAt` of its limit, new connections are refused with 503 until it is back.
import { chmodSync, mkdirSync, rmSync } from 'node:fs';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { dirname } from 'node:path';
import { getHeapStatistics } from 'node:v8';
import type { z } from 'zod';
import type { Owned } from '../../lib/owned.ts';
import { checkConfigBody, logsQuery, powerBody, serviceId } from '../../api/requests.ts';
import type { ControlHandlers, ControlPowerAction } from '../../api/contract.ts';
import { CONTROL_SOCKET, ControlRefusal } from '../../api/contract.ts';
import { decodeSegment, jsonDepth, originTarget } from './request.ts';

export interface ControlLimits {
  connections: number;
  bodyBytes: number;
  /** Bodies of all requests being read at once. */
  bodyBudget: number;
  jsonDepth: number;
  headersMs: number;
  requestMs: number;
  keepAliveMs: number;
  /** Heap used / heap limit above which work is refused. */
  shedAt: number;
}

export const LIMITS: Readonly<ControlLimits> = {
  connections: 1024,
  bodyBytes: 1 << 20,
  bodyBudget: 4 << 20,
  jsonDepth: 32,
  headersMs: 5_000,
  requestMs: 10_000,
  keepAliveMs: 5_000,
  shedAt: 0.75,
};

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
  log?: { error(obj: object, msg: string): void; warn(obj: object, msg: string): void };
  /** Heap used / heap limit; tests pass their own to see shedding. */
  heapUse?: () => number;
  limits?: Partial<ControlLimits>;
}

export interface ControlServer extends Owned {
  readonly socketPath: string;
}

const v8HeapUse = (): number => {
  const h = getHeapStatistics();
  return h.used_heap_size / h.heap_size_limit;
};

const errorBody = (message: string, details?: unknown): string =>
  `${JSON.stringify({ error: message, ...(details !== undefined ? { details } : {}) })}\n`;

const reply = (res: ServerResponse, status: number, body: unknown): void => {
  const text = `${JSON.stringify(body)}\n`;
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
};

/** An answer written straight to a socket the HTTP parser has no request for (refusals, parse errors). */
const rawAnswer = (status: number, reason: string, message: string): string => {
  const body = errorBody(message);
  return `HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`;
};

/** What Node's HTTP parser rejected, as the status and words a client can act on. */
const clientErrorAnswer = (err: NodeJS.ErrnoException, limits: ControlLimits): [number, string, string] => {
  switch (err.code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return [408, 'Request Timeout', `request not received in time (headers within ${limits.headersMs} ms, all of it within ${limits.requestMs} ms)`];
    case 'HPE_HEADER_OVERFLOW': return [431, 'Request Header Fields Too Large', 'request headers too large'];
    default: return [400, 'Bad Request', `malformed HTTP request: ${err.code ?? err.message}`];
  }
};

const parse = <T>(schema: z.ZodType<T>, value: unknown, what: string): T => {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  throw new HttpError(400, `invalid ${what}`, r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
};

type Route = (req: IncomingMessage, url: URL, match: RegExpExecArray) => Promise<[number, unknown]>;

export function createControlServer(handlers: ControlHandlers, opts: ControlServerOptions = {}): ControlServer {
  const socketPath = opts.socketPath ?? CONTROL_SOCKET;
  const limits: ControlLimits = { ...LIMITS, ...opts.limits };
  const heapUse = opts.heapUse ?? v8HeapUse;
  const shedding = (): boolean => heapUse() > limits.shedAt;
  let bodyBytes = 0;

  const readJson = (req: IncomingMessage): Promise<unknown> => new Promise((resolve, reject) => {
    if (shedding()) { reject(new HttpError(503, 'PID 1 is short of memory: request refused, try again')); return; }
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const release = () => { bodyBytes -= size; size = 0; };
    const fail = (e: HttpError) => { if (!settled) { settled = true; release(); reject(e); } };
    req.on('data', (c: Buffer) => {
      if (settled) return;
      size += c.length;
      bodyBytes += c.length;
      if (size > limits.bodyBytes) fail(new HttpError(413, `request body larger than ${limits.bodyBytes} bytes`));
      else if (bodyBytes > limits.bodyBudget) fail(new HttpError(503, 'too many request bodies at once: try again'));
      else chunks.push(c);
    });
    req.on('error', () => fail(new HttpError(400, 'request body cut off')));
    req.on('close', () => fail(new HttpError(400, 'request body cut off')));
    req.on('end', () => {
      if (settled) return;
      settled = true;
      const text = Buffer.concat(chunks).toString('utf8');
      release();
      if (text.trim() === '') { resolve(undefined); return; }
      if (jsonDepth(text, limits.jsonDepth) > limits.jsonDepth) { reject(new HttpError(400, `request body nests deeper than ${limits.jsonDepth} levels`)); return; }
      try { resolve(JSON.parse(text)); } catch (e) { reject(new HttpError(400, 'request body is not JSON', (e as Error).message)); }
    });
  });

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
        const segment = decodeSegment(m[1] ?? '');
        if (!segment.ok) throw new HttpError(400, segment.reason);
        const id = parse(serviceId, segment.value, 'service id');
        await handlers.restartService(id);
        return [202, { accepted: true, service: id }];
      },
    },
  ];

  // Sockets in the order they came, and those whose request a handler is working on:
  // the oldest socket not busy is the one closed when a new one needs room.
  const sockets = new Set<Socket>();
  const busy = new WeakSet<Socket>();
  const refused = new WeakSet<Socket>();
  // A storm (a flood past the heap mark, EMFILE on every accept) is one line per 10 s, not one per client.
  const lastWarning = new Map<string, number>();
  const warnAtMostEvery10s = (kind: string, obj: object, msg: string) => {
    const now = Date.now();
    if (now - (lastWarning.get(kind) ?? 0) < 10_000) return;
    lastWarning.set(kind, now);
    opts.log?.warn(obj, msg);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    let where = '(unparsed target)';
    try {
      const target = originTarget(req.url ?? '');
      if (!target.ok) throw new HttpError(400, target.reason);
      const url = target.value;
      where = url.pathname;
      const candidates = routes.filter((r) => r.path.test(url.pathname));
      const route = candidates.find((r) => r.method === req.method);
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
      const err = e instanceof HttpError ? e
        : e instanceof ControlRefusal ? new HttpError(e.status, e.message)
          : new HttpError(500, (e as Error).message ?? String(e));
      if (err.status === 500) opts.log?.error({ err: e, path: where }, 'control: handler failed');
      if (!res.headersSent && !res.destroyed) {
        // After a refused body the rest of it is not read: the connection ends with the answer.
        if (err.status === 413 || err.status === 503) res.setHeader('connection', 'close');
        reply(res, err.status, { error: err.message, ...(err.details !== undefined ? { details: err.details } : {}) });
      }
    }
  };

  // Not an ESM import: Node's ESM facade of node:http reads every export, including the lazy
  // WebSocket getters that load undici (~25 ms on the host, ~1 s of PID 1's start under TCG);
  // and loaded here, after the readiness line, rather than while PID 1 starts (docs/image.md).
  const { createServer } = process.getBuiltinModule('node:http');
  const server: Server = createServer({
    headersTimeout: limits.headersMs,
    requestTimeout: limits.requestMs,
    keepAliveTimeout: limits.keepAliveMs,
    connectionsCheckingInterval: 500,
  }, (req, res) => {
    const socket = req.socket;
    if (refused.has(socket)) return;
    busy.add(socket);
    res.on('close', () => busy.delete(socket));
    void handle(req, res);
  });

  server.on('connection', (socket: Socket) => {
    const refuse = (status: number, reason: string, message: string) => {
      refused.add(socket);
      socket.end(rawAnswer(status, reason, message));
      // A client that never reads its refusal does not keep the socket.
      socket.setTimeout(1_000, () => socket.destroy());
    };
    if (shedding()) {
      warnAtMostEvery10s('shed', { heapUse: heapUse(), connections: sockets.size }, 'control: heap near its limit, refusing connections and closing idle ones');
      for (const s of sockets) if (!busy.has(s)) s.destroy();
      refuse(503, 'Service Unavailable', 'PID 1 is short of memory: connection refused, try again');
      return;
    }
    if (sockets.size >= limits.connections) {
      // Silent ones first: a client that has sent nothing yet has nothing to lose.
      const idle = [...sockets].find((s) => s.bytesRead === 0) ?? [...sockets].find((s) => !busy.has(s));
      if (idle === undefined) {
        refuse(503, 'Service Unavailable', `${limits.connections} requests in progress: connection refused, try again`);
        return;
      }
      idle.destroy();
    }
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    if (!socket.writable || refused.has(socket)) { socket.destroy(); return; }
    socket.end(rawAnswer(...clientErrorAnswer(err, limits)));
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
        // Once listening, an error is an accept that failed (EMFILE): the server goes on.
        server.on('error', (err) => warnAtMostEvery10s('accept', { err }, 'control: accepting a connection failed'));
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
