import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { K3OSConfig } from '../../src/config/schema.ts';
import { k3sArgs } from '../../src/apply/k3s-args.ts';
import { agentKubeconfig, agentServices } from '../../src/init/k3s/agent.ts';
import { nodeState } from '../fixtures/node-state.ts';

test('agentKubeconfig: k3s.yaml on servers, the kubelet\'s own kubeconfig on agent nodes', () => {
  assert.equal(agentKubeconfig(k3sArgs({})), '/etc/rancher/k3s/k3s.yaml');
  assert.equal(agentKubeconfig(k3sArgs({ k3os: { server_url: 'https://10.0.0.1:6443', token: 't' } })), '/var/lib/rancher/k3s/agent/kubelet.kubeconfig');
  assert.equal(agentKubeconfig(k3sArgs({ k3os: { k3s_args: ['agent', '--server', 'https://10.0.0.1:6443'] } })), '/var/lib/rancher/k3s/agent/kubelet.kubeconfig');
  assert.equal(agentKubeconfig(k3sArgs({ k3os: { server_url: 'https://s:6443', k3s_args: ['--data-dir', '/data/k3s'] } })), '/data/k3s/agent/kubelet.kubeconfig');
  assert.equal(agentKubeconfig(k3sArgs({ k3os: { server_url: 'https://s:6443', k3s_args: ['-d=/a', '--data-dir=/b'] } })), '/b/agent/kubelet.kubeconfig');
  assert.equal(agentKubeconfig(k3sArgs({ k3os: { k3s_args: ['--write-kubeconfig', '/root/kc.yaml'] } })), '/root/kc.yaml');
  assert.equal(agentKubeconfig(k3sArgs({ k3os: { k3s_args: ['-o=/root/o.yaml'] } })), '/root/o.yaml');
  assert.equal(agentKubeconfig(k3sArgs({ k3os: { environment: { K3S_KUBECONFIG_OUTPUT: '/env.yaml' } } })), '/env.yaml');
  // An agent node's data dir does not move the server's kubeconfig, nor the reverse.
  assert.equal(agentKubeconfig(k3sArgs({ k3os: { k3s_args: ['--data-dir', '/data/k3s'] } })), '/etc/rancher/k3s/k3s.yaml');
  assert.equal(agentKubeconfig(k3sArgs({ k3os: { server_url: 'https://s:6443', k3s_args: ['-o', '/x.yaml'] } })), '/var/lib/rancher/k3s/agent/kubelet.kubeconfig');
});

function agentServicesFor(config: K3OSConfig, env: Record<string, string> = {}) {
  return agentServices({
    env: { K3OS_AGENT_BUNDLE: import.meta.filename, ...env },
    node: nodeState({ mode: 'disk', config }),
    paths: { initLog: '/var/log/k3os/init.log', k3sLog: '', bootModules: '', etcSeed: '' },
    log: { warn: () => {} } as never,
  });
}

const flag = (argv: readonly string[], name: string) => argv[argv.indexOf(name) + 1];

test('the agent service passes and waits for the kubeconfig of its k3s mode', async () => {
  const [server] = agentServicesFor({ k3os: { k3s_args: ['--node-name', 'n1'] } });
  assert.equal(flag(server!.argv, '--kubeconfig'), '/etc/rancher/k3s/k3s.yaml');
  assert.equal(server!.condition?.describe, '/etc/rancher/k3s/k3s.yaml');
  assert.equal(flag(server!.argv, '--node-name'), 'n1');

  const dir = mkdtempSync(join(tmpdir(), 'k3os-agent-kc-'));
  try {
    const [agent] = agentServicesFor({ k3os: { server_url: 'https://10.0.0.1:6443', token: 't', k3s_args: ['--data-dir', dir] } });
    const kubelet = join(dir, 'agent', 'kubelet.kubeconfig');
    assert.equal(flag(agent!.argv, '--kubeconfig'), kubelet);
    assert.equal(agent!.condition?.describe, kubelet);
    mkdirSync(join(dir, 'agent'));
    writeFileSync(kubelet, 'apiVersion: v1\n');
    await agent!.condition!.wait(new AbortController().signal);

    const [overridden] = agentServicesFor({ k3os: { server_url: 'https://10.0.0.1:6443' } }, { K3OS_AGENT_KUBECONFIG: '/tmp/kc' });
    assert.equal(flag(overridden!.argv, '--kubeconfig'), '/tmp/kc');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
