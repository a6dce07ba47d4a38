// The k3os agent (src/agent, bundled as agent.mjs), one supervised process
// per node, restarted forever. It starts once the kubeconfig k3s writes
// exists: before that there is no API to talk to, and a crash loop would only
// grow the backoff. Which kubeconfig depends on how k3s runs: a server writes
// an admin kubeconfig, an agent node only its kubelet's. The Node name is
// fixed when the service is declared: a live hostname change must not make
// the agent look for another node's object.
import { existsSync } from 'node:fs';
import { access } from 'node:fs/promises';
import { hostname } from 'node:os';
import { CONTROL_SOCKET } from '../../api/contract.ts';
import { k3sArgs } from '../../apply/index.ts';
import { realDelay, type Delay } from '../../lib/time.ts';
import type { BootContext } from '../phases/types.ts';
import type { ServiceDecl } from '../supervisor/types.ts';
import { SERVICE_PATH } from '../supervisor/types.ts';
import { k3sFlagValue } from '../../config/k3s-flags.ts';

export const SERVER_KUBECONFIG = '/etc/rancher/k3s/k3s.yaml';
export const K3S_DATA_DIR = '/var/lib/rancher/k3s';
export const AGENT_BUNDLE = '/usr/lib/k3os/agent.mjs';
const POLL_MS = 250;

/**
 * The Node name the agent reconciles: k3s's --node-name when the arguments
 * give one, else the hostname k3s registers with (k3s lowercases nothing, but
 * a Node name must be lowercase, so the hostname is lowercased here).
 */
export function agentNodeName(k3sArgv: readonly string[], hostname: string): string {
  return k3sFlagValue(k3sArgv, ['--node-name']) ?? hostname.toLowerCase();
}

/**
 * The kubeconfig the agent uses, from k3s's command (argv after the binary,
 * and its env). `k3s server` writes the admin kubeconfig (--write-kubeconfig,
 * -o, K3S_KUBECONFIG_OUTPUT, else k3s.yaml). `k3s agent` writes none: the
 * agent uses the node's own credentials (system:node:<name>, which the RBAC
 * and admission policy are written for), the kubelet's kubeconfig that k3s
 * writes under its data dir.
 */
export function agentKubeconfig(k3s: { argv: readonly string[]; env: Readonly<Record<string, string>> }): string {
  if (k3s.argv[0] === 'agent') return `${k3sFlagValue(k3s.argv, ['--data-dir', '-d']) ?? K3S_DATA_DIR}/agent/kubelet.kubeconfig`;
  return k3sFlagValue(k3s.argv, ['--write-kubeconfig', '-o']) ?? k3s.env.K3S_KUBECONFIG_OUTPUT ?? SERVER_KUBECONFIG;
}

/** Resolves when `file` exists, polling; returns early when `signal` aborts. */
export const fileExists = (file: string, delay: Delay) => async (signal: AbortSignal): Promise<void> => {
  while (!signal.aborted) {
    try {
      await access(file);
      return;
    } catch {
      await delay(POLL_MS, signal);
    }
  }
};

export interface AgentServiceOptions {
  node: string;
  bundle: string;
  nodeName: string;
  kubeconfig: string;
  controlSocket: string;
  logFile: string;
  delay: Delay;
}

export function agentService(o: AgentServiceOptions): ServiceDecl {
  return {
    id: 'agent',
    argv: [o.node, '--max-old-space-size=128', o.bundle, '--kubeconfig', o.kubeconfig, '--node-name', o.nodeName, '--control-socket', o.controlSocket],
    env: { PATH: SERVICE_PATH, HOME: '/root' },
    dependsOn: ['k3s'],
    condition: { describe: o.kubeconfig, wait: fileExists(o.kubeconfig, o.delay) },
    restart: 'forever',
    stopTimeoutMs: 5_000,
    logFile: o.logFile,
  };
}

/** The agent's service for this node's config and mode; none when the image has no agent bundle. */
export function agentServices(ctx: Pick<BootContext, 'env' | 'node' | 'paths' | 'log'>): ServiceDecl[] {
  const bundle = ctx.env.K3OS_AGENT_BUNDLE ?? AGENT_BUNDLE;
  if (!existsSync(bundle)) {
    ctx.log.warn({ bundle }, `agent: no ${bundle}; the node is not managed from the cluster`);
    return [];
  }
  const k3s = k3sArgs(ctx.node.config ?? {}, ctx.node.mode ?? 'live');
  return [agentService({
    node: process.execPath,
    bundle,
    nodeName: agentNodeName(k3s.argv, hostname()),
    kubeconfig: ctx.env.K3OS_AGENT_KUBECONFIG ?? agentKubeconfig(k3s),
    controlSocket: CONTROL_SOCKET,
    logFile: ctx.paths.initLog.replace(/init\.log$/, 'agent.log'),
    delay: realDelay,
  })];
}
