import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createControlClient } from '../../src/api/client.ts';
import { createControlServer } from '../../src/init/control/server.ts';
import { answerBody, ControlError, httpError } from '../../src/api/transport.ts';
import type { ApplyResult, ControlStatus } from '../../src/api/contract.ts';

test('PUT /v1/config: the client keeps the reboot reasons and the config hash PID 1 answers', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'k3os-control-client-'));
  const answer: ApplyResult = {
    applied: ['hostname'], failed: [], rebootRequired: true, rebootKeys: ['k3os.install'],
    reasons: ['k3os.install: installing to a disk happens at boot'], hash: `sha256:${'a'.repeat(64)}`,
  };
  const server = createControlServer({
    status: () => { throw new Error('unused'); },
    effectiveConfig: () => ({}),
    applyConfig: () => answer,
    power: () => {},
    logs: () => [],
  }, { socketPath: join(dir, 'init.sock') });
  await server.start();
  try {
    const r = await createControlClient({ socketPath: join(dir, 'init.sock') }).applyConfig({ hostname: 'node-2' });
    assert.deepEqual(r.reasons, answer.reasons);
    assert.equal(r.hash, answer.hash);
    assert.deepEqual(r.rebootKeys, ['k3os.install']);
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an error answer names the request, the status and what the server said', () => {
  const invalid = httpError('PUT', '/v1/config', 400, { error: 'invalid config', details: { errors: ['k3os.x: unknown key'] } });
  assert.ok(invalid instanceof ControlError);
  assert.equal(invalid.message, 'PUT /v1/config: HTTP 400: invalid config');
  assert.equal(invalid.status, 400);
  assert.deepEqual(invalid.details, { errors: ['k3os.x: unknown key'] });
  assert.equal(httpError('GET', '/v1/status', 502, answerBody('<html>bad gateway</html>\n')).message, 'GET /v1/status: HTTP 502: <html>bad gateway</html>');
  assert.equal(httpError('POST', '/v1/reboot', 503, answerBody('')).message, 'POST /v1/reboot: HTTP 503');
  assert.equal(httpError('GET', '/v1/logs', 500, answerBody('[1]')).details, undefined);
});

test('a 2xx answer that does not fit is refused with the path of what is wrong', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'k3os-control-client-'));
  const server = createControlServer({
    status: () => ({ hostname: 'n' }) as ControlStatus,
    effectiveConfig: () => ({}),
    applyConfig: () => { throw new Error('unused'); },
    power: () => {},
    logs: () => [],
  }, { socketPath: join(dir, 'init.sock') });
  await server.start();
  try {
    await assert.rejects(createControlClient({ socketPath: join(dir, 'init.sock') }).status(),
      (e: unknown) => e instanceof ControlError && e.status === 200 && /^GET \/v1\/status: unexpected answer: mode: /.test(e.message));
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
