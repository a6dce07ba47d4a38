// The stand-in k3s serving the test API: k3s.yaml, auto-deploy manifests,
// Node registration from --node-label/--node-taint, state across restarts,
// and the agent running with the node's own kubeconfig.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { KubeConfig } from '@kubernetes/client-node';
import { Agent } from '../../src/agent/agent.ts';
import { createControlClient } from '../../src/api/client.ts';
import { createControlServer } from '../../src/init/control/server.ts';
import { readInvocations } from '../fixtures/k3s-standin/api.ts';
import { eventually, FakeNode, KUBECTL, MANIFESTS, quietLog } from './harness.ts';
import { execFile } from 'node:child_process';

const NODE = resolve(import.meta.dirname, '../../node_modules/.bin/node');
const STANDIN = resolve(import.meta.dirname, '../fixtures/k3s-standin/main.ts');

const freePort = () => new Promise<number>((res) => {
  const s = createServer().listen(0, '127.0.0.1', () => { const p = (s.address() as { port: number }).port; s.close(() => res(p)); });
});

describe('stand-in k3s API', () => {
  let dir: string;
  let port: number;
  let proc: ChildProcess | undefined;
  const kubeconfig = () => join(dir, 'k3s.yaml');
  const kubectl = (args: string[], kc = kubeconfig()) => new Promise<{ code: number; stdout: string; stderr: string }>((res) => {
    execFile(KUBECTL, ['--kubeconfig', kc, '--cache-dir', join(dir, 'cache'), ...args], { env: { PATH: process.env.PATH ?? '/usr/bin', HOME: dir } },
      (err, stdout, stderr) => res({ code: err ? 1 : 0, stdout, stderr }));
  });

  const start = async () => {
    proc = spawn(NODE, [STANDIN, 'server', '--data-dir', join(dir, 'data'), '--https-listen-port', String(port), '--bind-address', '127.0.0.1',
      '--write-kubeconfig', kubeconfig(), '--write-kubeconfig-mode', '0640', '--node-name', 'standin-1',
      '--node-label', 'role=edge', '--node-taint', 'dedicated=infra:NoSchedule'],
    { env: { ...process.env, K3S_STANDIN_API: '1', K3S_TOKEN: 'secret' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    proc.stdout?.on('data', (c) => { out += c; });
    proc.stderr?.on('data', (c) => { out += c; });
    await eventually(() => (out.includes('API on') ? true : undefined), `stand-in API (${out})`);
  };
  const stop = async () => {
    const p = proc;
    if (!p || p.exitCode !== null) return;
    await new Promise((res) => { p.once('exit', res); p.kill('SIGTERM'); });
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'k3os-standin-'));
    mkdirSync(join(dir, 'data', 'server'), { recursive: true });
    cpSync(MANIFESTS, join(dir, 'data', 'server', 'manifests'), { recursive: true });
    port = await freePort();
    await start();
  });
  after(async () => { await stop(); rmSync(dir, { recursive: true, force: true }); });

  it('writes k3s.yaml (admin client certificate) with the requested mode, and records its invocation', async () => {
    assert.equal(statSync(kubeconfig()).mode & 0o777, 0o640);
    const r = await kubectl(['auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}']);
    assert.equal(r.stdout, 'system:admin', r.stderr);
    const inv = readInvocations(join(dir, 'data'));
    assert.deepEqual(inv[0]?.argv.slice(0, 3), ['server', '--data-dir', join(dir, 'data')]);
    assert.equal(inv[0]?.env.K3S_TOKEN, 'secret');
  });

  it('registers its Node with --node-label and --node-taint, and applies the manifests', async () => {
    const n = JSON.parse((await kubectl(['get', 'node', 'standin-1', '-o', 'json'])).stdout);
    assert.equal(n.metadata.labels.role, 'edge');
    assert.deepEqual(n.spec.taints, [{ key: 'dedicated', value: 'infra', effect: 'NoSchedule' }]);
    const crd = await kubectl(['get', 'crd', 'k3osconfigs.k3os.io', '-o', 'name']);
    assert.equal(crd.stdout.trim(), 'customresourcedefinition.apiextensions.k8s.io/k3osconfigs.k3os.io');
  });

  it('the agent, with the node\'s kubeconfig, creates and reports its K3OSConfig; state survives a restart', async () => {
    const node = new FakeNode({ hostname: 'standin-1', k3os: { labels: { tier: 'one' } } });
    const socketPath = join(dir, 'init.sock');
    const control = createControlServer(node.handlers(), { socketPath });
    await control.start();
    const kc = new KubeConfig();
    kc.loadFromFile(join(dir, 'data', 'agent', 'kubelet.kubeconfig'));
    const agent = new Agent({ kc, nodeName: 'standin-1', control: createControlClient({ socketPath }), log: quietLog });
    await agent.start();
    try {
      const get = async () => { const r = await kubectl(['get', 'k3osconfig', 'standin-1', '-o', 'json']); return r.code === 0 ? JSON.parse(r.stdout) : undefined; };
      const first = await eventually(async () => { const o = await get(); return o?.status?.observedGeneration === 1 ? o : undefined; }, 'status from the agent');
      await stop();
      await start();
      const again = await get();
      assert.equal(again.metadata.uid, first.metadata.uid, 'same object after restart');
      assert.ok(Number(again.metadata.resourceVersion) >= Number(first.metadata.resourceVersion));
      const p = await kubectl(['patch', 'k3osconfig', 'standin-1', '--type', 'merge', '-p', '{"spec":{"hostname":"renamed"}}']);
      assert.equal(p.code, 0, p.stderr);
      await eventually(async () => { const o = await get(); return o?.status?.observedGeneration === 2 ? o : undefined; }, 'agent applies after the restart', 60_000);
      assert.equal(node.applied.at(-1)?.hostname, 'renamed');
      assert.equal(readInvocations(join(dir, 'data')).length, 2);
    } finally {
      await agent.stop();
      await control.stop();
    }
  });
});
