// The k3os agent (dist/agent.mjs), restarted forever. It starts once the
// kubeconfig k3s writes exists: before that there is no API to talk to, and
// a crash loop would only grow the backoff.
import { access } from 'node:fs/promises';
import type { Delay } from '../types.ts';
import type { ServiceDecl } from '../supervisor/types.ts';
import { SERVICE_PATH } from './k3s.ts';

export const AGENT_KUBECONFIG = '/etc/rancher/k3s/k3s.yaml';
export const AGENT_BUNDLE = '/usr/lib/k3os/agent.mjs';
const POLL_MS = 250;

/**
 * The Node name the agent reconciles: k3s's --node-name when the arguments
 * give one, else the hostname k3s registers with (k3s lowercases nothing, but
 * a Node name must be lowercase, so the hostname is lowercased here).
 */
export function agentNodeName(k3sArgv: readonly string[], hostname: string): string {
  for (let i = 0; i < k3sArgv.length; i++) {
    const a = k3sArgv[i]!;
    if (a === '--node-name' && k3sArgv[i + 1] !== undefined) return k3sArgv[i + 1]!;
    if (a.startsWith('--node-name=')) return a.slice('--node-name='.length);
  }
  return hostname.toLowerCase();
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
