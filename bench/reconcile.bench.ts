// Reconcile latency and idle cost of the agent against the test API server.
//  1. 200 edits: time from the API write (PATCH answered) to status Applied
//     for that generation, as seen in the server's own store (no polling).
//  2. 500 simulated agents (the agent's own watch owner, one watch each):
//     how many requests they make while nothing changes.
// Prints; asserts nothing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CustomObjectsApi, KubeConfig, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { OwnObjectWatch } from '../src/agent/watcher.ts';
import { eventually, startAgent, startCluster } from '../test/kube/harness.ts';
import { ensureClusterCerts } from '../scripts/cluster-certs.ts';
import { kubeconfigYaml } from '../scripts/kubeconfig.ts';
import { createApiServer } from '../test/fixtures/apiserver/server.ts';

const EDITS = Number(process.env.RECONCILE_EDITS ?? 200);
const WATCHERS = Number(process.env.RECONCILE_WATCHERS ?? 500);
const IDLE_MS = Number(process.env.RECONCILE_IDLE_MS ?? 35_000);

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? NaN;

async function latency(): Promise<void> {
  const c = await startCluster();
  const a = await startAgent(c, 'node-1', { hostname: 'node-1', k3os: { sysctls: {} } });
  await eventually(() => (c.api.store.get('k3os.io/k3osconfigs', undefined, 'node-1') as any)?.status?.observedGeneration === 1 || undefined, 'initial status');
  const kc = new KubeConfig();
  kc.loadFromFile(c.adminKubeconfig);
  const api = kc.makeApiClient(CustomObjectsApi);
  const waiting = new Map<number, (t: number) => void>();
  const sub = c.api.store.subscribe('k3os.io/k3osconfigs', c.api.store.resourceVersion, (e) => {
    const o = e.object as any;
    const applied = o.status?.conditions?.find((x: any) => x.type === 'Applied')?.status === 'True';
    const done = waiting.get(o.status?.observedGeneration);
    if (applied && done) done(performance.now());
  });
  const samples: number[] = [];
  for (let i = 0; i < EDITS; i++) {
    const res = await api.patchClusterCustomObject({ group: 'k3os.io', version: 'v1', plural: 'k3osconfigs', name: 'node-1',
      body: { spec: { k3os: { sysctls: { 'vm.swappiness': String(i) } } } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch)) as any;
    const written = performance.now();
    const gen = res.metadata.generation as number;
    const appliedAt = await new Promise<number>((resolve) => {
      const o = c.api.store.get('k3os.io/k3osconfigs', undefined, 'node-1') as any;
      if (o?.status?.observedGeneration >= gen) resolve(performance.now());
      else waiting.set(gen, resolve);
    });
    waiting.delete(gen);
    samples.push(appliedAt - written);
  }
  sub?.cancel();
  const applies = a.node.applied.length;
  await a.stop();
  await c.close();
  const p50 = pct(samples, 50); const p99 = pct(samples, 99);
  console.log(`reconcile: ${EDITS} edits, API write -> status Applied: p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${Math.max(...samples).toFixed(1)} ms`);
  console.log(`reconcile: p99 / 1 s target = ${(p99 / 1000).toFixed(3)}; PUT /v1/config calls: ${applies} for ${EDITS} edits`);
}

async function idle(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'k3os-bench-'));
  const certs = ensureClusterCerts(join(dir, 'tls'));
  const tokens: Record<string, { username: string; groups: string[] }> = {};
  for (let i = 0; i < WATCHERS; i++) tokens[`t${i}`] = { username: `system:node:node-${i}`, groups: ['system:nodes'] };
  const api = createApiServer({ tls: { key: certs.serverKey, cert: certs.serverCert, ca: certs.caCert }, tokens, bookmarkIntervalMs: 10_000 });
  api.applyManifestDir(join(import.meta.dirname, '../rootfs/var/lib/rancher/k3s/server/manifests'));
  const port = await api.listen(0);
  const watches: OwnObjectWatch[] = [];
  const t0 = performance.now();
  for (let i = 0; i < WATCHERS; i++) {
    const kc = new KubeConfig();
    kc.loadFromString(kubeconfigYaml({ server: `https://127.0.0.1:${port}`, caCert: certs.caCert, token: `t${i}` }));
    const custom = kc.makeApiClient(CustomObjectsApi);
    const w = new OwnObjectWatch({
      kc, path: '/apis/k3os.io/v1/k3osconfigs', name: `node-${i}`,
      list: () => custom.listClusterCustomObject({ group: 'k3os.io', version: 'v1', plural: 'k3osconfigs', fieldSelector: `metadata.name=node-${i}` }),
      onChange: () => {}, onError: (e) => console.error(`watcher ${i}:`, (e as Error).message),
    });
    watches.push(w);
    await w.start();
  }
  while (api.openWatches < WATCHERS) await new Promise((r) => setTimeout(r, 50));
  const connectMs = performance.now() - t0;
  const before = api.stats.total;
  const rss0 = process.memoryUsage().rss;
  await new Promise((r) => setTimeout(r, IDLE_MS));
  const during = api.stats.total - before;
  console.log(`watchers: ${WATCHERS} connected in ${connectMs.toFixed(0)} ms (${(connectMs / WATCHERS).toFixed(2)} ms each, list + watch)`);
  console.log(`watchers: requests during ${(IDLE_MS / 1000).toFixed(0)} s idle: ${during} (${(during / WATCHERS).toFixed(3)} per watcher); open watches at the end: ${api.openWatches}; rss ${(rss0 / 2 ** 20).toFixed(0)} MiB for server + watchers in one process`);
  await Promise.all(watches.map((w) => w.stop()));
  await api.close();
  rmSync(dir, { recursive: true, force: true });
}

await latency();
await idle();
