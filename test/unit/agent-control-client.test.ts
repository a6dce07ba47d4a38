import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createControlClient } from '../../src/agent/control-client.ts';
import { createControlServer } from '../../src/init/control/server.ts';
import type { ApplyResult } from '../../src/init/control/types.ts';

test('PUT /v1/config: the client keeps the reboot reasons and the config hash PID 1 answers', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'k3os-agent-client-'));
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
