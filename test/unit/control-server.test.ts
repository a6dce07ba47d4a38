import assert from 'node:assert/strict';
import { mkdtempSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { K3OSConfig } from '../../src/config/index.ts';
import { createControlServer, type ControlServer } from '../../src/init/control/server.ts';
import { ControlRefusal, type ControlHandlers, type ControlStatus } from '../../src/api/contract.ts';
import type { PowerIntent } from '../../src/init/types.ts';
import { createControlClient } from '../../src/api/client.ts';
import { ControlError } from '../../src/api/transport.ts';

const status: ControlStatus = {
  hostname: 'node-1', mode: 'live', bootId: 'b-1', kernel: '6.1.0-test', os: { name: 'k3OS-ts 0.1', version: '0.1' },
  k3s: { state: 'running', version: 'v1.32.5+k3s1', pid: 42 }, uptimeMs: 1234,
};

function recording() {
  const calls: { applied: K3OSConfig[]; power: PowerIntent[]; logs: number[] } = { applied: [], power: [], logs: [] };
  const handlers: ControlHandlers = {
    status: () => status,
    effectiveConfig: () => ({ hostname: 'node-1', k3os: { labels: { a: 'b' } } }),
    applyConfig: (c) => { calls.applied.push(c); return { applied: Object.keys(c), failed: [], rebootRequired: c.k3os?.install !== undefined }; },
    power: (i) => { calls.power.push(i); },
    logs: (n) => { calls.logs.push(n); return [{ time: 't', level: 'info', msg: `last ${n}` }]; },
  };
  return { calls, handlers };
}

const raw = (socketPath: string, method: string, path: string, body?: string) => new Promise<{ status: number; json: any; headers: Record<string, unknown> }>((resolve, reject) => {
  const req = request({ socketPath, method, path, headers: body ? { 'content-type': 'application/json' } : {} }, (res) => {
    let text = '';
    res.on('data', (c) => { text += c; });
    res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text), headers: res.headers }));
  });
  req.on('error', reject);
  req.end(body);
});

describe('control API server', () => {
  const dir = mkdtempSync(join(tmpdir(), 'k3os-control-'));
  const socketPath = join(dir, 'run', 'init.sock');
  const { calls, handlers } = recording();
  let server: ControlServer;
  const client = createControlClient({ socketPath });

  before(async () => { server = createControlServer(handlers, { socketPath }); await server.start(); });
  after(async () => { await server.stop(); await server.stop(); });

  it('listens on a socket only its owner can open, in a root-only directory', () => {
    assert.equal(statSync(socketPath).mode & 0o777, 0o600);
    assert.equal(statSync(join(dir, 'run')).mode & 0o777, 0o700);
  });

  it('GET /v1/status and /v1/config answer what the handlers say', async () => {
    assert.deepEqual(await client.status(), status);
    assert.deepEqual(await client.effectiveConfig(), { hostname: 'node-1', k3os: { labels: { a: 'b' } } });
  });

  it('PUT /v1/config hands the handler a validated, canonical config', async () => {
    const r = await client.applyConfig({ hostname: 'node-2', k3os: { sysctl: { 'vm.swappiness': 10 } } });
    assert.deepEqual(calls.applied.at(-1), { hostname: 'node-2', k3os: { sysctls: { 'vm.swappiness': '10' } } });
    assert.deepEqual(r.applied, ['hostname', 'k3os']);
    assert.equal(r.rebootRequired, false);
  });

  it('PUT /v1/config with a bad value or an unknown key changes nothing and names the key', async () => {
    const before = calls.applied.length;
    const bad = await raw(socketPath, 'PUT', '/v1/config', JSON.stringify({ k3os: { network: { interfaces: { eth0: { mtu: 5 } } } } }));
    assert.equal(bad.status, 400);
    assert.equal(bad.json.error, 'invalid config');
    assert.match(bad.json.details.errors.join('\n'), /k3os\.network\.interfaces\.eth0\.mtu/);
    const unknown = await raw(socketPath, 'PUT', '/v1/config', JSON.stringify({ hostnmae: 'x' }));
    assert.equal(unknown.status, 400);
    assert.match(unknown.json.details.errors.join('\n'), /hostnmae/);
    const notJson = await raw(socketPath, 'PUT', '/v1/config', '{nope');
    assert.equal(notJson.status, 400);
    assert.equal(notJson.json.error, 'request body is not JSON');
    const notMap = await raw(socketPath, 'PUT', '/v1/config', '[1]');
    assert.equal(notMap.status, 400);
    assert.equal(calls.applied.length, before);
  });

  it('POST /v1/reboot and /v1/poweroff queue a power intent and answer 202', async () => {
    await client.power('reboot', 'kernel update');
    const r = await raw(socketPath, 'POST', '/v1/poweroff');
    assert.equal(r.status, 202);
    assert.deepEqual(calls.power, [
      { kind: 'power', action: 'reboot', reason: 'kernel update' },
      { kind: 'power', action: 'poweroff', reason: 'control API: POST /v1/poweroff' },
    ]);
    const bad = await raw(socketPath, 'POST', '/v1/reboot', JSON.stringify({ reason: 'x', now: true }));
    assert.equal(bad.status, 400);
    assert.equal(calls.power.length, 2);
  });

  it('GET /v1/logs validates lines', async () => {
    assert.deepEqual(await client.logs(5), [{ time: 't', level: 'info', msg: 'last 5' }]);
    assert.deepEqual(calls.logs, [5]);
    const r = await raw(socketPath, 'GET', '/v1/logs?lines=0');
    assert.equal(r.status, 400);
    assert.equal(r.json.details[0].path, 'lines');
    assert.equal((await raw(socketPath, 'GET', '/v1/logs')).status, 200);
    assert.deepEqual(calls.logs, [5, 100]);
  });

  it('unknown routes are 404, wrong methods 405 with Allow, both as JSON errors', async () => {
    const nf = await raw(socketPath, 'GET', '/v1/nope');
    assert.equal(nf.status, 404);
    assert.match(nf.json.error, /no such route/);
    const na = await raw(socketPath, 'DELETE', '/v1/config');
    assert.equal(na.status, 405);
    assert.equal(na.headers.allow, 'GET, PUT');
    const svc = await raw(socketPath, 'POST', '/v1/services/k3s/restart');
    assert.equal(svc.status, 404);
  });

  it('a handler failure is a 500 with the message, and the client raises ControlError', async () => {
    const s2path = join(dir, 'other.sock');
    const s2 = createControlServer({ ...handlers, status: () => { throw new Error('boom'); } }, { socketPath: s2path });
    await s2.start();
    await assert.rejects(createControlClient({ socketPath: s2path }).status(), (e: unknown) => e instanceof ControlError && e.status === 500 && e.message === 'GET /v1/status: HTTP 500: boom');
    await s2.stop();
    assert.equal(existsSync(s2path), false);
    await assert.rejects(createControlClient({ socketPath: s2path }).status(), (e: unknown) => e instanceof ControlError && e.status === 0);
  });
});

/** Bytes as sent, the answer until the server closes (or `ms` pass). */
const rawBytes = (socketPath: string, bytes: string, ms = 5_000) => new Promise<string>((resolve, reject) => {
  const s = connect(socketPath);
  let text = '';
  s.on('data', (c) => { text += c; });
  s.on('error', (e: NodeJS.ErrnoException) => (e.code === 'ECONNRESET' ? resolve(text) : reject(e)));
  s.on('close', () => resolve(text));
  s.setTimeout(ms, () => { s.destroy(); resolve(text); });
  if (bytes) s.write(bytes);
});
const statusOf = (answer: string): number => Number(/^HTTP\/1\.1 (\d+)/.exec(answer)?.[1] ?? 0);
const errorOf = (answer: string): string => (JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as { error: string }).error;
const opened = (socketPath: string) => new Promise<Socket>((resolve, reject) => {
  const s = connect(socketPath, () => resolve(s));
  s.on('error', reject);
});

describe('control API server, hostile clients', () => {
  const dir = mkdtempSync(join(tmpdir(), 'k3os-control-h-'));
  let n = 0;
  const serve = async (handlers: ControlHandlers, opts: Parameters<typeof createControlServer>[1] = {}) => {
    const socketPath = join(dir, `s${n++}.sock`);
    const server = createControlServer(handlers, { ...opts, socketPath });
    await server.start();
    return { socketPath, server };
  };
  const { calls, handlers } = recording();
  const withServices: ControlHandlers = {
    ...handlers,
    restartService: (id) => { if (id !== 'k3s') throw new ControlRefusal(404, `no service ${id}`); },
  };

  it('answers 400 with a reason for targets, escapes and bodies it cannot act on, and 404 for an unknown service', async () => {
    const { socketPath, server } = await serve(withServices);
    const ask = async (bytes: string) => { const a = await rawBytes(socketPath, bytes); return [statusOf(a), errorOf(a)] as const; };
    assert.deepEqual(await ask('GET http://x/v1/status HTTP/1.1\r\nhost: x\r\n\r\n'),
      [400, 'request target "http://x/v1/status" must be a path starting with / (origin-form)']);
    assert.deepEqual(await ask('GET //v1/status HTTP/1.1\r\nhost: x\r\n\r\n'), [400, 'request target "//v1/status" must not start with //']);
    assert.deepEqual(await ask('POST /v1/services/%zz/restart HTTP/1.1\r\nhost: x\r\ncontent-length: 0\r\n\r\n'), [400, '"%zz" has an invalid percent-escape']);
    assert.deepEqual(await ask('POST /v1/services/nosuch/restart HTTP/1.1\r\nhost: x\r\ncontent-length: 0\r\n\r\n'), [404, 'no service nosuch']);
    const deep = `{"write_files":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    assert.deepEqual(await ask(`PUT /v1/config HTTP/1.1\r\nhost: x\r\ncontent-length: ${deep.length}\r\n\r\n${deep}`), [400, 'request body nests deeper than 32 levels']);
    const [status, error] = await ask('\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03 random bytes\r\n\r\n');
    assert.equal(status, 400);
    assert.match(error, /^malformed HTTP request: HPE_/);
    assert.equal(calls.applied.length, 0);
    await server.stop();
  });

  it('a handler refusal is its status, never a 500', async () => {
    const { socketPath, server } = await serve({ ...handlers, restartService: () => { throw new ControlRefusal(409, 'k3s is not running: boot went to recovery'); } });
    const a = await rawBytes(socketPath, 'POST /v1/services/k3s/restart HTTP/1.1\r\nhost: x\r\ncontent-length: 0\r\n\r\n');
    assert.deepEqual([statusOf(a), errorOf(a)], [409, 'k3s is not running: boot went to recovery']);
    await server.stop();
  });

  it('at the connection cap the oldest idle connection makes room; with every connection busy the next is refused with 503', async () => {
    let release = () => {};
    const held = new Promise<void>((r) => { release = r; });
    const { socketPath, server } = await serve({ ...handlers, logs: async () => { await held; return []; } }, { limits: { connections: 4 } });
    const idle = await Promise.all([0, 1, 2, 3].map(() => opened(socketPath)));
    const closed = new Promise((r) => idle[0]!.on('close', r));
    assert.deepEqual(await createControlClient({ socketPath }).status(), status);
    await closed;
    idle.forEach((s) => s.destroy());
    const busy = [0, 1, 2, 3].map(() => rawBytes(socketPath, 'GET /v1/logs HTTP/1.1\r\nhost: x\r\n\r\n'));
    await new Promise((r) => setTimeout(r, 200));
    const refused = await rawBytes(socketPath, 'GET /v1/status HTTP/1.1\r\nhost: x\r\n\r\n');
    assert.deepEqual([statusOf(refused), errorOf(refused)], [503, '4 requests in progress: connection refused, try again']);
    release();
    assert.deepEqual((await Promise.all(busy)).map(statusOf), [200, 200, 200, 200]);
    await server.stop();
  });

  it('with the heap near its limit, connections are refused with 503 and no handler runs', async () => {
    let use = 0.9;
    const warned: string[] = [];
    const log = { error: () => {}, warn: (_o: object, m: string) => { warned.push(m); } };
    const { socketPath, server } = await serve(handlers, { heapUse: () => use, log });
    const before = calls.applied.length;
    const a = await rawBytes(socketPath, 'PUT /v1/config HTTP/1.1\r\nhost: x\r\ncontent-length: 2\r\n\r\n{}');
    assert.deepEqual([statusOf(a), errorOf(a)], [503, 'PID 1 is short of memory: connection refused, try again']);
    assert.equal(calls.applied.length, before);
    assert.equal(warned.length, 1);
    use = 0.2;
    assert.deepEqual(await createControlClient({ socketPath }).status(), status);
    await server.stop();
  });

  it('a client that sends nothing, or its headers too slowly, gets 408 and is closed; a body over the limit 413', async () => {
    const { socketPath, server } = await serve(handlers, { limits: { headersMs: 300, requestMs: 300, bodyBytes: 1000 } });
    assert.equal(statusOf(await rawBytes(socketPath, '')), 408);
    assert.equal(statusOf(await rawBytes(socketPath, 'GET /v1/sta')), 408);
    const big = JSON.stringify({ hostname: 'x'.repeat(2000) });
    assert.equal(statusOf(await rawBytes(socketPath, `PUT /v1/config HTTP/1.1\r\nhost: x\r\ncontent-length: ${big.length}\r\n\r\n${big}`)), 413);
    await server.stop();
  });
});
