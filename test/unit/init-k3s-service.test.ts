import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { K3OSConfig } from '../../src/config/schema.ts';
import { declareK3s, replaceK3s } from '../../src/init/k3s/service.ts';
import { startK3s } from '../../src/init/phases/services.ts';
import type { BootContext } from '../../src/init/phases/types.ts';
import { nodeState } from '../fixtures/node-state.ts';
import type { ServiceDecl } from '../../src/init/supervisor/types.ts';
import type { Logger } from '../../src/init/log/logger.ts';

const log = { info: () => {}, debug: () => {}, warn: () => {}, error: () => {}, child: () => log } as unknown as Logger;

function fakeCtx(facts: Parameters<typeof nodeState>[0], env: Record<string, string> = {}) {
  const added: ServiceDecl[] = [];
  const replaced: ServiceDecl[] = [];
  let pid = 100;
  const runner = () => ({ started: Promise.resolve(), pid: ++pid });
  const ctx = {
    log,
    env,
    node: nodeState({ runtime: 'machine', ...facts }),
    paths: { k3sLog: '/var/log/k3s.log' },
    supervisor: {
      add: async (d: ServiceDecl) => { added.push(d); return runner(); },
      replace: async (d: ServiceDecl) => { replaced.push(d); return runner(); },
    },
  } as unknown as BootContext;
  return { ctx, added, replaced };
}

const agentConfig: K3OSConfig = { k3os: { server_url: 'https://10.0.2.2:6443', token: 'secret', k3s_args: ['--node-name', 'n1'], environment: { HTTP_PROXY: 'http://p:3128' } } };

test('declareK3s: the config\'s k3s command, the learned node IP, the binary and log file', () => {
  const { ctx } = fakeCtx({ mode: 'disk', nodeIp: '10.0.2.15' });
  const d = declareK3s(ctx, agentConfig);
  assert.deepEqual(d.argv, ['/usr/bin/k3s', 'agent', '--node-name', 'n1', '--node-label', 'k3os.io/mode=disk', '--node-ip', '10.0.2.15']);
  assert.equal(d.env?.K3S_URL, 'https://10.0.2.2:6443');
  assert.equal(d.env?.K3S_TOKEN, 'secret');
  assert.equal(d.env?.HTTP_PROXY, 'http://p:3128');
  assert.match(d.env?.PATH ?? '', /\/usr\/bin/);
  assert.equal(d.logFile, '/var/log/k3s.log');
  assert.equal(d.restart, 'forever');
  const other = fakeCtx({ mode: 'live' }, { K3OS_K3S_BIN: '/opt/k3s' });
  assert.deepEqual(declareK3s(other.ctx, {}).argv, ['/opt/k3s', 'server', '--node-label', 'k3os.io/mode=live']);
});

test('a live restart declares k3s exactly as boot did for the same config, and follows a new config', async () => {
  const { ctx, added, replaced } = fakeCtx({ mode: 'disk', nodeIp: '10.0.2.15', config: agentConfig });
  await startK3s.run(ctx, log);
  assert.equal(ctx.node.k3sPid, 101);
  await replaceK3s(ctx, log, agentConfig);
  assert.equal(ctx.node.k3sPid, 102);
  assert.deepEqual(replaced[0], added[0]);
  assert.deepEqual(added[0], declareK3s(ctx, agentConfig));

  await replaceK3s(ctx, log, { k3os: { k3s_args: ['--disable', 'traefik'] } });
  assert.deepEqual(replaced[1]?.argv, ['/usr/bin/k3s', 'server', '--disable', 'traefik', '--node-label', 'k3os.io/mode=disk', '--node-ip', '10.0.2.15']);
  assert.equal(replaced[1]?.env?.K3S_URL, undefined);
});
