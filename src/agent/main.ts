// `k3os agent` (dist/agent.mjs): PID 1 supervises it once a kubeconfig
// exists. Arguments and environment are validated here; SIGTERM stops it
// cleanly.
import { hostname } from 'node:os';
import { parseFlags, type FlagSpec } from '../lib/argv.ts';
import { KubeConfig } from '@kubernetes/client-node';
import { pino } from 'pino';
import { z } from 'zod';
import { CONTROL_SOCKET } from '../api/contract.ts';
import { Agent } from './agent.ts';
import { createControlClient } from '../api/client.ts';

export const AGENT_USAGE = `usage: k3os-agent [--kubeconfig FILE] [--node-name NAME] [--control-socket PATH]

  --kubeconfig FILE       default $KUBECONFIG, else /etc/rancher/k3s/k3s.yaml
  --node-name NAME        the Kubernetes Node name; default $K3OS_NODE_NAME, else the hostname
  --control-socket PATH   PID 1's control API (default ${CONTROL_SOCKET})`;

const argsSchema = z.object({
  kubeconfig: z.string().min(1),
  nodeName: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, 'must be a lowercase RFC 1123 name (the Node name)'),
  controlSocket: z.string().min(1),
}).strict();

export type AgentArgs = z.infer<typeof argsSchema>;

const AGENT_FLAGS: FlagSpec = {
  '--kubeconfig': { name: 'kubeconfig', kind: 'value' },
  '--node-name': { name: 'nodeName', kind: 'value' },
  '--control-socket': { name: 'controlSocket', kind: 'value' },
};

export function parseAgentArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>>, host: string): AgentArgs {
  let flags: Record<string, string | true>;
  try {
    flags = parseFlags(argv, AGENT_FLAGS).values;
  } catch (e) {
    throw new Error(`${(e as Error).message}\n${AGENT_USAGE}`);
  }
  const r = argsSchema.safeParse({
    kubeconfig: flags.kubeconfig ?? env.KUBECONFIG ?? '/etc/rancher/k3s/k3s.yaml',
    nodeName: flags.nodeName ?? env.K3OS_NODE_NAME ?? host,
    controlSocket: flags.controlSocket ?? env.K3OS_CONTROL_SOCKET ?? CONTROL_SOCKET,
  });
  if (!r.success) throw new Error(r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  return r.data;
}

async function run(): Promise<void> {
  const log = pino({ name: 'k3os-agent', base: undefined }, pino.destination(2));
  let args: AgentArgs;
  try {
    args = parseAgentArgs(process.argv.slice(2), process.env, hostname());
  } catch (e) {
    process.stderr.write(`k3os-agent: ${(e as Error).message}\n`);
    process.exitCode = 2;
    return;
  }
  const kc = new KubeConfig();
  kc.loadFromFile(args.kubeconfig);
  const agent = new Agent({ kc, nodeName: args.nodeName, control: createControlClient({ socketPath: args.controlSocket }), log });
  const stop = () => { void agent.stop().then(() => log.info({}, 'agent: stopped')); };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  log.info({ node: args.nodeName, kubeconfig: args.kubeconfig }, 'agent: starting');
  await agent.start();
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('agent.mjs')) await run();
