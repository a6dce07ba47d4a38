import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CoreV1Event } from '@kubernetes/client-node';
import type { K3OSConfig } from '../../src/config/index.ts';
import type { ControlClient } from '../../src/api/client.ts';
import type { KubeApi } from '../../src/agent/kube-api.ts';
import { canonicalHash } from '../../src/lib/hash.ts';
import { createReconciler } from '../../src/agent/reconciler.ts';
import type { K3OSConfigObject, K3OSConfigStatus } from '../../src/agent/resource.ts';
import type { ApplyResult, ControlStatus } from '../../src/api/contract.ts';

/** One K3OSConfig and one Node in memory; status writes fail while `down` is set, as when k3s restarts. */
function fakeKube(obj: K3OSConfigObject) {
  const kube = {
    obj,
    down: false,
    statusWrites: [] as Array<Partial<K3OSConfigStatus>>,
    events: [] as CoreV1Event[],
  };
  const unreachable = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6443'), { code: 'ECONNREFUSED' });
  const api: KubeApi = {
    getConfig: async () => structuredClone(kube.obj),
    createConfig: async (o) => { kube.obj = { ...o, metadata: { ...o.metadata, uid: 'uid-new', generation: 1 } }; return structuredClone(kube.obj); },
    patchStatus: async (_name, status) => {
      if (kube.down) throw unreachable();
      kube.statusWrites.push(status);
      kube.obj.status = { ...kube.obj.status, ...status };
    },
    getNode: async () => ({ metadata: { resourceVersion: '1', labels: {}, annotations: {} }, spec: {} }),
    patchNode: async () => {},
    createEvent: async (_ns, e) => { kube.events.push(e); },
    listConfigs: async () => ({ items: [kube.obj] }),
  };
  return { kube, api };
}

/**
 * PID 1's side: the first PUT of a spec changes things; the same spec again
 * changes nothing. `boot` is what GET /v1/status says about this boot.
 */
function fakeNode(first: ApplyResult) {
  const puts: unknown[] = [];
  let current = '';
  const boot: Pick<ControlStatus, 'bootId' | 'pendingReboot'> = { bootId: 'b' };
  const control: ControlClient = {
    status: async () => ({ hostname: 'node-1', mode: 'disk', kernel: '6.1', os: { name: 'k3OS-ts', version: '0.1' }, k3s: { state: 'running' }, uptimeMs: 1, ...boot }),
    effectiveConfig: async () => ({ hostname: 'node-1' }),
    applyConfig: async (c) => {
      puts.push(c);
      const again = JSON.stringify(c) === current;
      current = JSON.stringify(c);
      return again ? { applied: [], failed: [], rebootRequired: false, reasons: [], hash: first.hash } : first;
    },
    power: async () => {},
    logs: async () => [],
  };
  return { puts, control, boot };
}

const log = { info: () => {}, warn: () => {}, error: () => {} };
const spec: K3OSConfig = { hostname: 'node-2', k3os: { k3s_args: ['--disable', 'traefik'], install: { device: '/dev/vdb' } } };
const answer: ApplyResult = {
  applied: ['hostname', 'k3os.k3s_args'], failed: [], rebootRequired: true, rebootKeys: ['k3os.install'],
  reasons: ['k3os.install: installing to a disk happens at boot'], hash: 'sha256:from-pid1',
};

/** The node's object at `generation`, as the API server holds it. */
const configObject = (generation: number, objSpec: K3OSConfig, status: K3OSConfigStatus): K3OSConfigObject =>
  ({ apiVersion: 'k3os.io/v1', kind: 'K3OSConfig', metadata: { name: 'node-1', uid: 'u1', generation }, spec: objSpec, status });

/** The agent for node-1, talking to the fakes. */
const reconcilerFor = (api: KubeApi, control: ControlClient, now: () => Date = () => new Date()) =>
  createReconciler({ nodeName: 'node-1', kube: api, control, now, log });

describe('reconciler', () => {
  it('node facts: the running hostname from PID 1, the k3s version from the kubelet when PID 1 has none', async () => {
    const { kube, api } = fakeKube(configObject(1, {}, { observedGeneration: 1 }));
    api.getNode = async () => ({ metadata: { resourceVersion: '1', labels: {}, annotations: {} }, spec: {}, status: { nodeInfo: { kubeletVersion: 'v1.31.4+k3s1' } } });
    const node = fakeNode(answer);
    const reconcile = reconcilerFor(api, node.control);
    assert.equal(await reconcile(), 'facts');
    assert.equal(kube.obj.status?.node?.hostname, 'node-1');
    assert.equal(kube.obj.status?.node?.k3sVersion, 'v1.31.4+k3s1');
  });

  it('creates a missing object from the effective config without the token, password or wifi passphrases', async () => {
    const { kube, api } = fakeKube(undefined as unknown as K3OSConfigObject);
    api.getConfig = async () => (kube.obj ? structuredClone(kube.obj) : undefined);
    const node = fakeNode(answer);
    node.control.effectiveConfig = async () => ({
      hostname: 'node-1',
      k3os: { token: 'K10secret', password: 'rancher', labels: { a: 'b' }, wifi: [{ name: 'lab', passphrase: 'hunter2' }] },
    });
    const reconcile = reconcilerFor(api, node.control);
    await reconcile();
    // The wifi list is a leaf: published without its passphrases it would replace the node's own when the spec comes back.
    assert.deepEqual(kube.obj.spec, { hostname: 'node-1', k3os: { labels: { a: 'b' } } });
    assert.doesNotMatch(JSON.stringify(kube.obj), /K10secret|rancher"|hunter2/);
    assert.equal(node.puts.length, 0);
  });

  it('after a failed status write, writes what PID 1 answered instead of sending the same spec again', async () => {
    const { kube, api } = fakeKube(configObject(2, spec, { observedGeneration: 1 }));
    const node = fakeNode(answer);
    const reconcile = reconcilerFor(api, node.control, () => new Date('2026-01-01T00:00:00Z'));
    kube.down = true;
    await assert.rejects(reconcile(), /ECONNREFUSED/);
    kube.down = false;
    assert.equal(await reconcile(), 'applied');
    assert.equal(node.puts.length, 1);
    const s = kube.obj.status!;
    assert.equal(s.observedGeneration, 2);
    assert.equal(s.appliedHash, 'sha256:from-pid1');
    const byType = Object.fromEntries((s.conditions ?? []).map((c) => [c.type, c]));
    assert.equal(byType.Applied?.message, 'applied hostname, k3os.k3s_args');
    assert.equal(byType.RebootRequired?.status, 'True');
    assert.equal(byType.RebootRequired?.message, 'takes effect after a reboot: k3os.install: installing to a disk happens at boot');
    assert.equal(kube.events.length, 1);
    assert.equal(await reconcile(), 'unchanged');
    assert.equal(node.puts.length, 1);
  });

  it('a newer generation is sent even when an older answer is still unwritten', async () => {
    const { kube, api } = fakeKube(configObject(2, spec, { observedGeneration: 1 }));
    const node = fakeNode(answer);
    const reconcile = reconcilerFor(api, node.control);
    kube.down = true;
    await assert.rejects(reconcile());
    kube.down = false;
    kube.obj.metadata.generation = 3;
    kube.obj.spec = { hostname: 'node-3' };
    assert.equal(await reconcile(), 'applied');
    assert.deepEqual(node.puts, [spec, { hostname: 'node-3' }]);
    assert.equal(kube.obj.status?.observedGeneration, 3);
  });

  it('a recreated object (new uid, same generation) is sent again', async () => {
    const { kube, api } = fakeKube(configObject(2, spec, { observedGeneration: 1 }));
    const node = fakeNode(answer);
    const reconcile = reconcilerFor(api, node.control);
    kube.down = true;
    await assert.rejects(reconcile());
    kube.down = false;
    kube.obj.metadata.uid = 'u2';
    kube.obj.spec = { hostname: 'node-9' };
    await reconcile();
    assert.equal(node.puts.length, 2);
  });

  it('without a hash from PID 1, appliedHash is the spec\'s own hash', async () => {
    const { kube, api } = fakeKube(configObject(2, spec, {}));
    const node = fakeNode({ applied: ['hostname'], failed: [], rebootRequired: false });
    const reconcile = reconcilerFor(api, node.control);
    await reconcile();
    assert.equal(kube.obj.status?.appliedHash, canonicalHash(spec));
  });

  it('an adopted object whose first status write failed is not sent to PID 1 afterwards', async () => {
    const { kube, api } = fakeKube(undefined as unknown as K3OSConfigObject);
    const node = fakeNode(answer);
    const reconcile = reconcilerFor(api, node.control);
    api.getConfig = async () => (kube.obj ? structuredClone(kube.obj) : undefined);
    kube.down = true;
    await assert.rejects(reconcile());
    kube.down = false;
    assert.equal(await reconcile(), 'created');
    assert.equal(node.puts.length, 0);
    assert.equal(kube.obj.status?.conditions?.[0]?.reason, 'AdoptedFromNode');
  });

  it('after a reboot, RebootRequired follows PID 1\'s pendingReboot without sending the spec again', async () => {
    const { kube, api } = fakeKube(configObject(2, spec, { observedGeneration: 1 }));
    const node = fakeNode(answer);
    let now = new Date('2026-01-01T00:00:00Z');
    const reconcile = reconcilerFor(api, node.control, () => now);
    assert.equal(await reconcile(), 'applied');
    const before = Object.fromEntries((kube.obj.status?.conditions ?? []).map((c) => [c.type, c]));
    assert.equal(before.RebootRequired?.status, 'True');

    node.boot.bootId = 'c';
    node.boot.pendingReboot = { rebootRequired: false, rebootKeys: [], reasons: [] };
    now = new Date('2026-01-01T00:10:00Z');
    assert.equal(await reconcile(), 'rebooted');
    assert.equal(node.puts.length, 1, 'the spec is not sent again');
    const s = kube.obj.status!;
    const after = Object.fromEntries((s.conditions ?? []).map((c) => [c.type, c]));
    assert.deepEqual([after.RebootRequired?.status, after.RebootRequired?.reason, after.RebootRequired?.lastTransitionTime], ['False', 'Rebooted', '2026-01-01T00:10:00Z']);
    assert.deepEqual(after.Applied, before.Applied);
    assert.deepEqual(after.Degraded, before.Degraded);
    assert.equal(s.node?.bootID, 'c');
    assert.equal(s.observedGeneration, 2);
    assert.deepEqual(kube.statusWrites.at(-1) && Object.keys(kube.statusWrites.at(-1)!).sort(), ['conditions', 'node']);
    assert.deepEqual([kube.events.at(-1)?.reason, kube.events.at(-1)?.message], ['Rebooted', 'boot c, generation 2: nothing waits for a reboot']);
    assert.equal(await reconcile(), 'unchanged');
  });

  it('after a reboot that left something waiting, RebootRequired stays True with PID 1\'s reasons', async () => {
    const { kube, api } = fakeKube(configObject(2, spec, { observedGeneration: 1 }));
    const node = fakeNode(answer);
    const reconcile = reconcilerFor(api, node.control);
    await reconcile();
    node.boot.bootId = 'c';
    node.boot.pendingReboot = { rebootRequired: true, rebootKeys: ['k3os.modules'], reasons: ['k3os.modules: failed to load at boot'] };
    assert.equal(await reconcile(), 'rebooted');
    const r = kube.obj.status?.conditions?.find((c) => c.type === 'RebootRequired');
    assert.deepEqual([r?.status, r?.message], ['True', 'takes effect after a reboot: k3os.modules: failed to load at boot']);
    assert.equal(node.puts.length, 1);
  });

  it('a reboot with a new generation waiting sends the spec (its answer is computed against the new boot)', async () => {
    const { kube, api } = fakeKube(configObject(2, spec, { observedGeneration: 1 }));
    const node = fakeNode(answer);
    const reconcile = reconcilerFor(api, node.control);
    await reconcile();
    node.boot.bootId = 'c';
    kube.obj.metadata.generation = 3;
    kube.obj.spec = { hostname: 'node-3' };
    assert.equal(await reconcile(), 'applied');
    assert.equal(node.puts.length, 2);
    assert.equal(kube.obj.status?.node?.bootID, 'c');
  });
});
