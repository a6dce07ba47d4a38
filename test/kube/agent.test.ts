// The agent against the test API server, driven by real kubectl.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { eventually, getObj, startAgent, startCluster, statusAt, type Cluster, type RunningAgent } from './harness.ts';

describe('agent + kubectl', () => {
  let c: Cluster;
  let a: RunningAgent;
  let gen = 1;

  before(async () => {
    c = await startCluster({ nodes: ['node-1', 'node-2'] });
    a = await startAgent(c, 'node-1', { hostname: 'node-1', k3os: { labels: { region: 'eu' }, sysctls: { 'kernel.panic': '10' } } });
  });
  after(async () => { await a?.stop(); await c?.close(); });

  it('creates its K3OSConfig from the effective config and reports Applied', async () => {
    const o = await eventually(statusAt(c, 'node-1', 1), 'status of generation 1');
    assert.deepEqual(o.spec, { hostname: 'node-1', k3os: { labels: { region: 'eu' }, sysctls: { 'kernel.panic': '10' } } });
    assert.equal(o.status.conditions.find((x: any) => x.type === 'Applied').reason, 'AdoptedFromNode');
    assert.equal(o.status.node.kernelVersion, '6.1.0-test-cloud-amd64');
    assert.equal(a.node.applied.length, 0, 'adopting the effective config applies nothing');
    const node = await eventually(() => (getObj(c, 'nodes', 'node-1')?.metadata.labels?.region === 'eu' ? getObj(c, 'nodes', 'node-1') : undefined), 'node label');
    assert.equal(node.metadata.annotations?.['k3os.io/managed-labels'], 'region');
  });

  it('kubectl get k3osconfig shows the printer columns', async () => {
    const r = await c.kubectl(['get', 'k3osconfig']);
    assert.equal(r.code, 0, r.stderr);
    const [header, row] = r.stdout.trim().split('\n');
    assert.deepEqual(header?.split(/\s+/), ['NAME', 'HOSTNAME', 'APPLIED', 'REBOOT', 'OS', 'K3S', 'AGE']);
    assert.deepEqual(row?.split(/\s+/).slice(0, 6), ['node-1', 'node-1', 'True', 'False', '0.1.0', 'v1.32.5+k3s1']);
    const short = await c.kubectl(['get', 'k3oscfg', 'node-1', '-o', 'name']);
    assert.equal(short.stdout.trim(), 'k3osconfig.k3os.io/node-1');
  });

  it('kubectl edit (scripted EDITOR) changes hostname, a sysctl and a label; the node applies it', async () => {
    const script = join(c.dir, 'edit.sed');
    writeFileSync(script, [
      's/^  hostname: node-1$/  hostname: edited-1/',
      's/^      kernel.panic: "10"$/      kernel.panic: "30"/',
      's/^      region: eu$/      region: us/',
    ].join('\n'));
    const r = await c.kubectl(['edit', 'k3osconfig', 'node-1'], { env: { EDITOR: `sed -i -f ${script}` } });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /k3osconfig.k3os.io\/node-1 edited/);
    const o = await eventually(statusAt(c, 'node-1', ++gen), 'status of the edit');
    assert.deepEqual(a.node.applied.at(-1), { hostname: 'edited-1', k3os: { labels: { region: 'us' }, sysctls: { 'kernel.panic': '30' } } });
    assert.match(o.status.appliedHash, /^sha256:[0-9a-f]{64}$/);
    assert.equal(o.status.lastError, '');
    await eventually(() => (getObj(c, 'nodes', 'node-1')?.metadata.labels?.region === 'us' ? true : undefined), 'node label follows the spec');
    const events = await c.kubectl(['get', 'events', '-n', 'default', '--field-selector', 'involvedObject.name=node-1', '-o', 'json']);
    assert.equal(events.code, 0, events.stderr);
    const reasons = (JSON.parse(events.stdout).items as any[]).map((e) => `${e.reason}:${e.involvedObject.kind}`);
    assert.ok(reasons.includes('Applied:K3OSConfig'), reasons.join(','));
  });

  it('kubectl patch --type merge is applied; removing a label from the spec removes it from the Node', async () => {
    const r = await c.kubectl(['patch', 'k3osconfig', 'node-1', '--type', 'merge', '-p', '{"spec":{"k3os":{"labels":null,"sysctls":{"vm.swappiness":"5"}}}}']);
    assert.equal(r.code, 0, r.stderr);
    await eventually(statusAt(c, 'node-1', ++gen), 'status of the patch');
    assert.deepEqual(a.node.applied.at(-1)?.k3os, { sysctls: { 'kernel.panic': '30', 'vm.swappiness': '5' } });
    await eventually(() => (getObj(c, 'nodes', 'node-1')?.metadata.labels?.region === undefined ? true : undefined), 'label removed');
    assert.equal(getObj(c, 'nodes', 'node-1')?.metadata.labels?.['kubernetes.io/hostname'], 'node-1', 'labels the agent does not manage stay');
  });

  it('kubectl apply -f is applied', async () => {
    const file = join(c.dir, 'node-1.yaml');
    writeFileSync(file, 'apiVersion: k3os.io/v1\nkind: K3OSConfig\nmetadata:\n  name: node-1\nspec:\n  hostname: applied-1\n  k3os:\n    k3s_args: [server, --disable=traefik]\n');
    const r = await c.kubectl(['apply', '-f', file]);
    assert.equal(r.code, 0, r.stderr);
    await eventually(statusAt(c, 'node-1', ++gen), 'status of the apply');
    // Client-side apply merges into what is there (no last-applied annotation yet): the sysctls stay.
    assert.deepEqual(a.node.applied.at(-1), { hostname: 'applied-1', k3os: { k3s_args: ['server', '--disable=traefik'], sysctls: { 'kernel.panic': '30', 'vm.swappiness': '5' } } });
  });

  it('invalid edits are rejected by the API server with the schema\'s message and never reach the node', async () => {
    const before = a.node.applied.length;
    const p = await c.kubectl(['patch', 'k3osconfig', 'node-1', '--type', 'merge', '-p', '{"spec":{"k3os":{"network":{"interfaces":{"eth0":{"mtu":5}}}}}}']);
    assert.notEqual(p.code, 0);
    assert.match(p.stderr, /spec\.k3os\.network\.interfaces\.eth0\.mtu: Invalid value: 5: spec\.k3os\.network\.interfaces\.eth0\.mtu in body should be greater than or equal to 68/);
    const script = join(c.dir, 'bad.sed');
    writeFileSync(script, 's/^  hostname: applied-1$/  hostname: [not, a, string]/');
    const e = await c.kubectl(['edit', 'k3osconfig', 'node-1'], { env: { EDITOR: `sed -i -f ${script}` } });
    assert.notEqual(e.code, 0);
    const saved = /stored to "([^"]+)"/.exec(e.stderr)?.[1];
    assert.ok(saved, e.stderr);
    assert.match(readFileSync(saved, 'utf8'), /spec\.hostname: Invalid value: "array": spec\.hostname in body must be of type string: "array"/);
    const typo = await c.kubectl(['patch', 'k3osconfig', 'node-1', '--type', 'merge', '-p', '{"spec":{"k3os":{"sysctl":{"a":"b"}}}}']);
    assert.match(typo.stderr, /unknown field "spec\.k3os\.sysctl"/);
    assert.equal(getObj(c, 'k3osconfigs', 'node-1')?.metadata.generation, gen, 'rejected writes change nothing');
    assert.equal(a.node.applied.length, before);
  });

  it('two concurrent writers both get their change in (409 and retry)', async () => {
    const stale = JSON.parse((await c.kubectl(['get', 'k3osconfig', 'node-1', '-o', 'json'])).stdout);
    const writer = async (prefix: string, n: number): Promise<void> => {
      for (let i = 0; i < n; i++) {
        for (;;) {
          const got = await c.kubectl(['get', 'k3osconfig', 'node-1', '-o', 'json']);
          const o = JSON.parse(got.stdout);
          o.spec.k3os.sysctls = { ...(o.spec.k3os.sysctls ?? {}), [`${prefix}.k${i}`]: String(i) };
          const put = await c.kubectl(['replace', '-f', '-'], { stdin: JSON.stringify(o) });
          if (put.code === 0) break;
          assert.match(put.stderr, /the object has been modified; please apply your changes to the latest version and try again/);
        }
      }
    };
    await Promise.all([writer('net.a', 4), writer('net.b', 4)]);
    const o = getObj(c, 'k3osconfigs', 'node-1') as any;
    for (let i = 0; i < 4; i++) {
      assert.equal(o.spec.k3os.sysctls[`net.a.k${i}`], String(i));
      assert.equal(o.spec.k3os.sysctls[`net.b.k${i}`], String(i));
    }
    gen = o.metadata.generation;
    await eventually(statusAt(c, 'node-1', gen), 'status of the last write');
    assert.deepEqual(Object.keys(a.node.applied.at(-1)?.k3os?.sysctls ?? {}).filter((k) => k.startsWith('net.')).length, 8);
    stale.spec.hostname = 'stale-writer';
    const late = await c.kubectl(['replace', '-f', '-'], { stdin: JSON.stringify(stale) });
    assert.notEqual(late.code, 0, 'a write based on an old resourceVersion is refused');
    assert.match(late.stderr, /Operation cannot be fulfilled on k3osconfigs.k3os.io "node-1": the object has been modified/);
    assert.notEqual((getObj(c, 'k3osconfigs', 'node-1') as any).spec.hostname, 'stale-writer');
  });

  it('a node may not touch another node\'s K3OSConfig (ValidatingAdmissionPolicy)', async () => {
    await c.kubectl(['apply', '-f', '-'], { stdin: JSON.stringify({ apiVersion: 'k3os.io/v1', kind: 'K3OSConfig', metadata: { name: 'node-2' }, spec: { hostname: 'node-2' } }) });
    const asNode1 = c.nodeKubeconfig('node-1');
    const r = await c.kubectl(['patch', 'k3osconfig', 'node-2', '--type', 'merge', '-p', '{"spec":{"hostname":"stolen"}}'], { kubeconfig: asNode1 });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /ValidatingAdmissionPolicy 'k3os-node-owns-k3osconfig' with binding 'k3os-node-owns-k3osconfig' denied request: a node may only change the K3OSConfig named after it/);
    const own = await c.kubectl(['patch', 'k3osconfig', 'node-1', '--type', 'merge', '-p', '{"metadata":{"labels":{"touched":"yes"}}}'], { kubeconfig: asNode1 });
    assert.equal(own.code, 0, own.stderr);
    const crd = await c.kubectl(['delete', 'crd', 'k3osconfigs.k3os.io'], { kubeconfig: asNode1 });
    assert.match(crd.stderr, /forbidden: User "system:node:node-1" cannot delete resource "customresourcedefinitions"/);
  });

  it('reconnects after the API server restarts, and relists after 410 without missing a change', async () => {
    const expiredBefore = c.api.stats.expired;
    await c.restart({
      historySize: 1,
      // Two writes before the agent can reconnect: its resourceVersion falls out of the window.
      before: (api) => {
        const d = api.registry.find('k3os.io', 'v1', 'k3osconfigs')!;
        const ctx = api.registry.systemContext();
        api.registry.patch(d, undefined, 'node-1', 'application/merge-patch+json', { spec: { hostname: 'after-restart' } }, '', ctx);
        api.registry.patch(d, undefined, 'node-1', 'application/merge-patch+json', { spec: { k3os: { sysctls: { 'vm.swappiness': '60' } } } }, '', ctx);
      },
    });
    gen += 2;
    await eventually(statusAt(c, 'node-1', gen), 'status after restart', 60_000);
    assert.equal(a.node.applied.at(-1)?.hostname, 'after-restart');
    assert.equal(a.node.applied.at(-1)?.k3os?.sysctls?.['vm.swappiness'], '60');
    assert.ok(c.api.stats.expired > expiredBefore, 'the agent\'s watch got 410 Gone and it relisted');
  });

  it('after the node reboots, a restarted agent clears RebootRequired from PID 1\'s status without sending the spec again', async () => {
    a.node.nextResult = (cfg) => ({ applied: Object.keys(cfg).sort(), failed: [], rebootRequired: true, rebootKeys: ['k3os.install'], reasons: ['k3os.install: installing to a disk happens at boot'] });
    const r = await c.kubectl(['patch', 'k3osconfig', 'node-1', '--type', 'merge', '-p', '{"spec":{"k3os":{"install":{"device":"/dev/vdb"}}}}']);
    assert.equal(r.code, 0, r.stderr);
    const o = await eventually(statusAt(c, 'node-1', ++gen), 'status of the install');
    const waiting = o.status.conditions.find((x: any) => x.type === 'RebootRequired');
    assert.deepEqual([waiting.status, waiting.message], ['True', 'takes effect after a reboot: k3os.install: installing to a disk happens at boot']);
    const reboot = async () => (await c.kubectl(['get', 'k3osconfig', 'node-1', '--no-headers'])).stdout.trim().split(/\s+/)[3];
    assert.equal(await reboot(), 'True');

    const node = a.node;
    const puts = node.applied.length;
    await a.stop();
    node.nextResult = undefined;
    node.bootId = 'boot-2';
    node.pendingReboot = { rebootRequired: false, rebootKeys: [], reasons: [] };
    a = await startAgent(c, 'node-1', node);
    const after = await eventually(() => {
      const x = getObj(c, 'k3osconfigs', 'node-1') as any;
      return x?.status?.node?.bootID === 'boot-2' ? x : undefined;
    }, 'status of the new boot');
    const byType = Object.fromEntries(after.status.conditions.map((x: any) => [x.type, x]));
    assert.deepEqual([byType.RebootRequired.status, byType.RebootRequired.reason], ['False', 'Rebooted']);
    assert.deepEqual(byType.Applied, o.status.conditions.find((x: any) => x.type === 'Applied'), 'Applied is unchanged');
    assert.equal(after.status.observedGeneration, gen);
    assert.equal(after.metadata.generation, gen);
    await a.agent.idle();
    assert.equal(node.applied.length, puts, 'no PUT /v1/config after the reboot');
    assert.equal(a.outcomes[0], 'rebooted', 'the first reconcile of the new boot refreshes status');
    assert.equal(await reboot(), 'False');
    const events = await c.kubectl(['get', 'events', '-n', 'default', '--field-selector', 'involvedObject.name=node-1,reason=Rebooted', '-o', 'json']);
    assert.equal(events.code, 0, events.stderr);
    assert.deepEqual((JSON.parse(events.stdout).items as any[]).map((e) => e.message), [`boot boot-2, generation ${gen}: nothing waits for a reboot`]);
  });
});
