import assert from 'node:assert/strict';
import { mkdtempSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { request } from 'node:http';
import type { K3OSConfig } from '../../src/config/index.ts';
import { createControlServer, type ControlServer } from '../../src/init/control/server.ts';
import type { ControlHandlers, ControlStatus } from '../../src/api/contract.ts';
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
