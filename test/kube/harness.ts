// A cluster for agent tests: the test API server with the shipped manifests,
// a Node, kubeconfigs for an admin (kubectl) and for the node (the agent),
// a control socket served by createControlServer with recording handlers,
// and the agent itself, in process.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import type { K3OSConfig } from '../../src/config/index.ts';
import { Agent } from '../../src/agent/agent.ts';
import { createControlClient } from '../../src/api/client.ts';
import type { ReconcileOutcome } from '../../src/agent/reconciler.ts';
import { createControlServer, type ControlServer } from '../../src/init/control/server.ts';
import type { ApplyResult, ControlHandlers, ControlStatus } from '../../src/api/contract.ts';
import { ensureClusterCerts, type ClusterCerts } from '../../scripts/cluster-certs.ts';
import { kubeconfigYaml } from '../../scripts/kubeconfig.ts';
import { createApiServer, type ApiServer } from '../fixtures/apiserver/server.ts';
import type { KubeObject, UserInfo } from '../fixtures/apiserver/types.ts';

export const MANIFESTS = resolve(import.meta.dirname, '../../rootfs/var/lib/rancher/k3s/server/manifests');
export const KUBECTL = '/usr/bin/kubectl';

const ADMIN: UserInfo = { username: 'admin', groups: ['system:masters', 'system:authenticated'] };
export const nodeUser = (n: string): UserInfo => ({ username: `system:node:${n}`, groups: ['system:nodes', 'system:authenticated'] });

/** PID 1 as the control API sees it: effective config + a record of every call. */
export class FakeNode {
  effective: K3OSConfig;
  readonly applied: K3OSConfig[] = [];
  /** What the next applyConfig answers, after storing the config. */
  nextResult: ((c: K3OSConfig) => ApplyResult) | undefined;
  /** What GET /v1/status says about this boot; a test "reboots" the node by changing them. */
  bootId = 'boot-1';
  pendingReboot: ControlStatus['pendingReboot'];
  constructor(effective: K3OSConfig) { this.effective = effective; }
  handlers(): ControlHandlers {
    return {
      status: () => ({ hostname: this.effective.hostname ?? 'node-1', mode: 'live', bootId: this.bootId, kernel: '6.1.0-test-cloud-amd64',
        os: { name: 'k3OS-ts 0.1.0', version: '0.1.0' }, k3s: { state: 'running', version: 'v1.32.5+k3s1' }, uptimeMs: 1,
        ...(this.pendingReboot ? { pendingReboot: this.pendingReboot } : {}) }),
      effectiveConfig: () => this.effective,
      applyConfig: (c) => {
        this.applied.push(c);
        this.effective = c;
        return this.nextResult?.(c) ?? { applied: Object.keys(c).sort(), failed: [], rebootRequired: false };
      },
      power: () => {},
      logs: () => [],
    };
  }
}

export interface Cluster {
  dir: string;
  api: ApiServer;
  port: number;
  certs: ClusterCerts;
  adminKubeconfig: string;
  nodeKubeconfig(node: string): string;
  kubectl(args: string[], opts?: { env?: Record<string, string>; stdin?: string; kubeconfig?: string }): Promise<{ code: number; stdout: string; stderr: string }>;
  /** Restarts the API server on the same port from its persisted state; `before` runs before it listens. */
  restart(opts?: { historySize?: number; before?: (api: ApiServer) => void }): Promise<void>;
  close(): Promise<void>;
}

const tokenFor = (u: UserInfo): string => `t-${Buffer.from(u.username).toString('hex')}`;

export async function startCluster(opts: { nodes?: string[]; historySize?: number } = {}): Promise<Cluster> {
  const dir = mkdtempSync(join(tmpdir(), 'k3os-kube-'));
  const certs = ensureClusterCerts(join(dir, 'tls'));
  const persistFile = join(dir, 'state.json');
  const nodes = opts.nodes ?? ['node-1'];
  const tokens = Object.fromEntries([ADMIN, ...nodes.map(nodeUser)].map((u) => [tokenFor(u), u]));
  const make = (historySize?: number) => createApiServer({ tls: { key: certs.serverKey, cert: certs.serverCert, ca: certs.caCert }, tokens, persistFile, ...(historySize ? { historySize } : {}) });
  let api = make(opts.historySize);
  api.applyManifestDir(MANIFESTS);
  for (const n of nodes) {
    api.applyManifestText(JSON.stringify({ apiVersion: 'v1', kind: 'Node', metadata: { name: n, labels: { 'kubernetes.io/hostname': n, 'kubernetes.io/os': 'linux' } }, spec: {} }));
  }
  const port = await api.listen(0);
  const server = `https://127.0.0.1:${port}`;
  const adminKubeconfig = join(dir, 'admin.yaml');
  writeFileSync(adminKubeconfig, kubeconfigYaml({ server, caCert: certs.caCert, clientCert: certs.adminCert, clientKey: certs.adminKey }));
  const cacheDir = join(dir, 'kubectl-cache');
  mkdirSync(cacheDir);
  const cluster: Cluster = {
    dir, get api() { return api; }, port, certs, adminKubeconfig,
    nodeKubeconfig: (node) => {
      const f = join(dir, `${node}.yaml`);
      writeFileSync(f, kubeconfigYaml({ server, caCert: certs.caCert, token: tokenFor(nodeUser(node)) }));
      return f;
    },
    kubectl: (args, o = {}) => new Promise((res) => {
      const child = execFile(KUBECTL, ['--kubeconfig', o.kubeconfig ?? adminKubeconfig, '--cache-dir', cacheDir, ...args],
        { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, ...o.env }, timeout: 60_000 },
        (err, stdout, stderr) => res({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }));
      if (o.stdin !== undefined) child.stdin?.end(o.stdin);
    }),
    restart: async (r = {}) => {
      await api.close();
      api = make(r.historySize);
      r.before?.(api);
      await api.listen(port);
    },
    close: async () => { await api.close(); rmSync(dir, { recursive: true, force: true }); },
  };
  return cluster;
}

export interface RunningAgent {
  agent: Agent;
  node: FakeNode;
  control: ControlServer;
  outcomes: ReconcileOutcome[];
  stop(): Promise<void>;
}

export const quietLog = { info: () => {}, warn: () => {}, error: () => {} };

/** Starts a control server and an agent; pass a FakeNode to start them again for the same node (a reboot). */
export async function startAgent(c: Cluster, nodeName: string, effective: K3OSConfig | FakeNode): Promise<RunningAgent> {
  const node = effective instanceof FakeNode ? effective : new FakeNode(effective);
  const socketPath = join(c.dir, `${nodeName}.sock`);
  const control = createControlServer(node.handlers(), { socketPath });
  await control.start();
  const kc = new KubeConfig();
  kc.loadFromFile(c.nodeKubeconfig(nodeName));
  const outcomes: ReconcileOutcome[] = [];
  const agent = new Agent({ kc, nodeName, control: createControlClient({ socketPath }), log: quietLog, onReconciled: (o) => outcomes.push(o) });
  await agent.start();
  return { agent, node, control, outcomes, stop: async () => { await agent.stop(); await control.stop(); } };
}

/** Polls `probe` until it returns a value (not undefined); the deadline only bounds a broken run. */
export async function eventually<T>(probe: () => T | undefined | Promise<T | undefined>, what: string, deadlineMs = 20_000): Promise<T> {
  const end = Date.now() + deadlineMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (e) { last = e; }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export const getObj = (c: Cluster, resource: string, name: string): KubeObject | undefined => {
  const d = c.api.registry.resources().find((r) => r.resource === resource);
  return d ? c.api.store.get(`${d.group}/${d.resource}`, undefined, name) : undefined;
};

/** The K3OSConfig once its status reports generation `gen` with Applied=`applied`. */
export const statusAt = (c: Cluster, name: string, gen: number, applied = 'True') => () => {
  const o = getObj(c, 'k3osconfigs', name) as any;
  const cond = o?.status?.conditions?.find((x: any) => x.type === 'Applied');
  return o && o.metadata.generation === gen && o.status?.observedGeneration === gen && cond?.status === applied ? o : undefined;
};
