// End to end, issue 6: boot the image (stand-in k3s serving its API, the
// agent supervised by PID 1), forward 6443 to a host loopback port, and from
// the host run the real kubectl: `kubectl edit k3osconfig <node>` with a
// scripted EDITOR changes the hostname, a sysctl, a label and k3s_args. Then
// the guest shows them: status Applied for the new generation, the label on
// the Node, the hostname and sysctl read in a login shell on the console,
// and k3s's recorded invocations (read from the state disk after poweroff).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { kubeconfigYaml } from '../../scripts/kubeconfig.ts';
import { SLIRP_GATEWAY_APPEND } from './guest.ts';
import { makeStateDisk, READY, readFromDisk, withVm } from './harness.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const INITRD = process.env.K3OS_TEST_INITRD ?? join(ROOT, 'build/initrd.img');
const TLS = join(ROOT, 'build/standin-tls');
const KUBECTL = '/usr/bin/kubectl';
const SHUTDOWN = /k3os-init: (reboot|poweroff) after clean shutdown/;

const skip = !existsSync(INITRD) ? `no image at ${INITRD}: run make image`
  : !existsSync(join(TLS, 'ca.crt')) ? 'no build/standin-tls: the image was built without the stand-in API'
    : !existsSync(KUBECTL) ? 'no kubectl' : false;

const freePort = (): Promise<number> => new Promise((ok, fail) => {
  const s = createServer();
  s.once('error', fail);
  s.listen(0, '127.0.0.1', () => {
    const port = (s.address() as { port: number }).port;
    s.close(() => ok(port));
  });
});

// The spec block is replaced whole (up to the next top-level key): the K3OSConfig the agent created
// holds the node's effective config, and the edit sets the four things the issue names.
const EDITOR_SED = String.raw`s/^spec:.*/spec:\n  hostname: vm-edited\n  k3os:\n    sysctls:\n      vm.swappiness: "17"\n    labels:\n      e2e.k3os.io\/edited: "yes"\n    k3s_args:\n    - server\n    - --disable\n    - traefik/
/^spec:/,/^[a-z]/{/^spec:/b;/^[a-z]/b;d}`;

describe('kubectl edit k3osconfig, end to end', { skip }, () => {
  let dir = '';
  before(() => { dir = mkdtempSync(join(tmpdir(), 'k3os-agent-e2e-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('hostname, a sysctl, a label and k3s_args are applied live and reported Applied', async () => {
    const disk = join(dir, 'state.img');
    await makeStateDisk(disk, 512);
    const port = await freePort();
    const kubeconfig = join(dir, 'kubeconfig');
    const r = (f: string) => readFileSync(join(TLS, f), 'utf8');
    writeFileSync(kubeconfig, kubeconfigYaml({ server: `https://127.0.0.1:${port}`, caCert: r('ca.crt'), clientCert: r('client-admin.crt'), clientKey: r('client-admin.key') }));
    const sedScript = join(dir, 'edit.sed');
    writeFileSync(sedScript, `${EDITOR_SED}\n`);
    const editor = join(dir, 'editor.sh');
    writeFileSync(editor, `#!/bin/sh\nexec sed -i -f ${sedScript} "$1"\n`);
    chmodSync(editor, 0o755);
    const kubectl = (...args: string[]) => spawnSync(KUBECTL, ['--kubeconfig', kubeconfig, '--request-timeout=10s', ...args], { encoding: 'utf8', env: { ...process.env, EDITOR: editor, KUBE_EDITOR: editor } });
    const json = (...args: string[]): any => {
      const p = kubectl(...args, '-o', 'json');
      return p.status === 0 ? JSON.parse(p.stdout) : undefined;
    };
    const until = async <T>(what: string, ms: number, f: () => T | undefined): Promise<T> => {
      const deadline = Date.now() + ms;
      for (;;) {
        const v = f();
        if (v !== undefined) return v;
        if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms: ${what}`);
        await sleep(500);
      }
    };

    await withVm({ name: 'agent-e2e', initrd: INITRD, disks: [disk], append: `k3os.password=sesame ${SLIRP_GATEWAY_APPEND}`,
      netdevs: [`user,restrict=on,hostfwd=tcp:127.0.0.1:${port}-:6443`] }, async (vm) => {
      assert.equal((await vm.waitFor(READY))[2], 'disk');
      const t0 = Date.now();
      const created = await until('the agent creates its K3OSConfig', 300_000, () => {
        const list = json('get', 'k3osconfigs');
        return list?.items?.length === 1 ? list.items[0] : undefined;
      });
      const node: string = created.metadata.name;
      const createdMs = Date.now() - t0;
      assert.ok(json('get', 'node', node), `Node ${node} exists`);

      const edit = kubectl('edit', 'k3osconfig', node);
      assert.equal(edit.status, 0, edit.stderr);
      const edited = json('get', 'k3osconfig', node);
      assert.equal(edited.spec.hostname, 'vm-edited');
      const generation: number = edited.metadata.generation;
      assert.ok(generation > (created.metadata.generation ?? 1), 'the edit made a new generation');
      const tEdit = Date.now();
      const applied = await until('status Applied for the new generation', 120_000, () => {
        const o = json('get', 'k3osconfig', node);
        const c = o?.status?.conditions?.find((x: { type: string }) => x.type === 'Applied');
        return o?.status?.observedGeneration === generation && c?.status === 'True' ? o : undefined;
      });
      const appliedMs = Date.now() - tEdit;
      const cond = (t: string) => applied.status.conditions.find((x: { type: string }) => x.type === t);
      assert.equal(cond('RebootRequired')?.status, 'False', JSON.stringify(applied.status));
      // The agent may send the same spec again (its status write can meet the API restarting with k3s);
      // PID 1's console line for the first apply names what changed.
      const live = /config applied live \(control API\): (.*)/.exec(vm.output());
      assert.ok(live, 'PID 1 reported the live apply');
      assert.deepEqual(live[1]!.trim().split(', ').sort(), ['hostname', 'k3os.k3s_args', 'k3os.labels', 'k3os.sysctls']);

      const labels = await until('the label on the Node', 60_000, () => {
        const n = json('get', 'node', node);
        return n?.metadata?.labels?.['e2e.k3os.io/edited'] === 'yes' ? n.metadata.labels : undefined;
      });
      assert.equal(labels['e2e.k3os.io/edited'], 'yes');
      const shown = kubectl('get', 'node', node, '--show-labels');
      assert.match(shown.stdout, /e2e\.k3os\.io\/edited=yes/);

      // The guest itself, in a login shell on the console.
      await vm.send('\n');
      await vm.waitFor(/login: $/, 60_000);
      await vm.send('rancher\n');
      await vm.waitFor(/Password: $/);
      await vm.send('sesame\n');
      await vm.send('echo "facts: host=$(hostname) swappiness=$(cat /proc/sys/vm/swappiness)"\n');
      const facts = await vm.waitFor(/facts: host=(\S+) swappiness=(\d+)/, 60_000);
      assert.equal(facts[1], 'vm-edited');
      assert.equal(facts[2], '17');

      process.stdout.write(`# agent e2e: K3OSConfig created ${createdMs} ms after ready; edit -> Applied ${appliedMs} ms (polled every 500 ms)\n`);
      await vm.monitor('system_powerdown');
      await vm.waitFor(SHUTDOWN, 120_000);
    });

    // k3s records each start on the state disk: the last one has the edited arguments.
    const starts = (await readFromDisk(disk, 'var/lib/rancher/k3s/server/standin-invocations.jsonl'))
      .trim().split('\n').map((l) => JSON.parse(l) as { argv: string[] });
    assert.ok(starts.length >= 2, `k3s started ${starts.length} times`);
    const last = starts.at(-1)!.argv.join(' ');
    assert.match(last, /^server --disable traefik /);
    assert.match(last, /--node-label e2e\.k3os\.io\/edited=yes/);
    assert.doesNotMatch(starts[0]!.argv.join(' '), /traefik/);
  });
});
