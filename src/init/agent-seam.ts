// The agent helper's src/agent (bundled as agent.mjs) behind the agent seam:
// one supervised process per node, started once k3s has written the
// kubeconfig it uses (agentKubeconfig: admin on servers, the kubelet's on
// agent nodes). The Node name is fixed when the service is declared: a live
// hostname change must not make the agent look for another node's object.
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { CONTROL_SOCKET } from '../api/contract.ts';
import type { AgentSeam } from './seams.ts';
import { AGENT_BUNDLE, agentKubeconfig, agentNodeName, agentService } from './services/agent.ts';
import { realDelay } from '../lib/time.ts';

export function createAgentSeam(): AgentSeam {
  return {
    name: 'agent (src/agent)',
    services(ctx) {
      const bundle = ctx.env.K3OS_AGENT_BUNDLE ?? AGENT_BUNDLE;
      if (!existsSync(bundle)) {
        ctx.log.warn({ bundle }, `agent: no ${bundle}; the node is not managed from the cluster`);
        return [];
      }
      const k3s = ctx.seams.config.k3s(ctx.facts.config ?? {}, ctx.facts.mode ?? 'live');
      return [agentService({
        node: process.execPath,
        bundle,
        nodeName: agentNodeName(k3s.argv, hostname()),
        kubeconfig: ctx.env.K3OS_AGENT_KUBECONFIG ?? agentKubeconfig(k3s),
        controlSocket: CONTROL_SOCKET,
        logFile: ctx.paths.initLog.replace(/init\.log$/, 'agent.log'),
        delay: realDelay,
      })];
    },
  };
}
