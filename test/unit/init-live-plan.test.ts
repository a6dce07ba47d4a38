// planLiveApply: which actions a config change needs on a running node, and
// what waits for a reboot (with a reason naming the key).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { K3OSConfig } from '../../src/config/schema.ts';
import { carry, pendingReboot, planLiveApply, rebootBaseline, type RebootBaseline } from '../../src/init/live/plan.ts';

const base: K3OSConfig = {
  hostname: 'node-1',
  ssh_authorized_keys: ['ssh-ed25519 AAAA one'],
  write_files: [{ path: '/etc/motd', content: 'hi\n' }],
  k3os: {
    sysctls: { 'vm.swappiness': '10', 'net.ipv4.ip_forward': '1' },
    modules: ['br_netfilter'],
    labels: { role: 'edge' },
    k3s_args: ['server', '--disable', 'traefik'],
    environment: { HTTP_PROXY: 'http://proxy:3128' },
    dns_nameservers: ['10.0.0.2'],
  },
};
const edit = (f: (c: K3OSConfig) => void): K3OSConfig => { const c = structuredClone(base); f(c); return c; };
const kinds = (p: ReturnType<typeof planLiveApply>) => p.actions.map((a) => (a.kind === 'step' ? `step:${a.step}` : a.kind));

describe('planLiveApply', () => {
  it('no change: no actions, no reboot', () => {
    const p = planLiveApply(base, structuredClone(base));
    assert.deepEqual(p, { actions: [], rebootRequired: false, reasons: [], rebootKeys: [] });
  });

  it('key order inside maps is not a change', () => {
    const reordered = edit((c) => { c.k3os!.sysctls = { 'net.ipv4.ip_forward': '1', 'vm.swappiness': '10' }; });
    assert.deepEqual(planLiveApply(base, reordered).actions, []);
  });

  it('hostname, a sysctl and a label: three live actions, k3s restarted for the label', () => {
    const next = edit((c) => { c.hostname = 'node-2'; c.k3os!.sysctls!['vm.swappiness'] = '20'; c.k3os!.labels = { role: 'edge', zone: 'a' }; });
    const p = planLiveApply(base, next);
    assert.deepEqual(kinds(p), ['step:sysctls', 'step:hostname', 'restartK3s']);
    assert.deepEqual(p.actions.find((a) => a.kind === 'restartK3s')?.keys, ['k3os.labels']);
    assert.equal(p.rebootRequired, false);
  });

  it('each k3s key restarts k3s: k3s_args, taints, token, server_url', () => {
    for (const f of [
      (c: K3OSConfig) => { c.k3os!.k3s_args = ['server', '--disable', 'servicelb']; },
      (c: K3OSConfig) => { c.k3os!.taints = ['dedicated=edge:NoSchedule']; },
      (c: K3OSConfig) => { c.k3os!.token = 'secret'; },
      (c: K3OSConfig) => { c.k3os!.server_url = 'https://10.0.0.1:6443'; },
    ]) {
      const p = planLiveApply(base, edit(f));
      assert.deepEqual(kinds(p), ['restartK3s'], JSON.stringify(edit(f).k3os));
    }
  });

  it('environment is written to /etc/environment and restarts k3s, listed once per action', () => {
    const p = planLiveApply(base, edit((c) => { c.k3os!.environment = { HTTP_PROXY: 'http://other:3128' }; }));
    assert.deepEqual(kinds(p), ['step:environment', 'restartK3s']);
    assert.deepEqual(p.actions.map((a) => a.keys), [['k3os.environment'], ['k3os.environment']]);
  });

  it('write_files, ssh keys, a new module and the password apply live', () => {
    const next = edit((c) => {
      c.write_files = [{ path: '/etc/motd', content: 'bye\n' }];
      c.ssh_authorized_keys = ['ssh-ed25519 AAAA one', 'ssh-ed25519 BBBB two'];
      c.k3os!.modules = ['br_netfilter', 'vxlan'];
      c.k3os!.password = 'sesame';
    });
    const p = planLiveApply(base, next);
    assert.deepEqual(kinds(p), ['step:modules', 'step:password', 'step:ssh_authorized_keys', 'step:write_files']);
    assert.equal(p.rebootRequired, false);
  });

  it('what cannot be taken back live needs a reboot, with the key and the item named', () => {
    const next = edit((c) => {
      c.k3os!.modules = [];
      delete c.k3os!.sysctls!['vm.swappiness'];
      c.k3os!.environment = {};
    });
    const p = planLiveApply(base, next);
    assert.equal(p.rebootRequired, true);
    assert.deepEqual(p.rebootKeys, ['k3os.modules', 'k3os.sysctls', 'k3os.environment']);
    assert.match(p.reasons[0]!, /^k3os\.modules: br_netfilter stay loaded/);
    assert.match(p.reasons[1]!, /^k3os\.sysctls: vm\.swappiness keep their value/);
    assert.match(p.reasons[2]!, /HTTP_PROXY stay in \/etc\/environment/);
  });

  it('install.*, data_sources and boot commands wait for a reboot', () => {
    const next = edit((c) => {
      c.k3os!.install = { device: '/dev/vda' };
      c.k3os!.data_sources = ['cdrom'];
      c.boot_cmd = ['echo hi'];
    });
    const p = planLiveApply(base, next);
    assert.deepEqual(p.actions, []);
    assert.deepEqual(p.rebootKeys, ['k3os.install', 'k3os.data_sources', 'boot_cmd']);
    assert.ok(p.reasons.every((r) => r.length > 10));
  });

  it('dns waits for a reboot: the network manager takes it at boot', () => {
    const next = edit((c) => { c.k3os!.dns_nameservers = ['10.0.0.3']; });
    const p = planLiveApply(base, next);
    assert.deepEqual(p.actions, []);
    assert.deepEqual(p.rebootKeys, ['k3os.dns_nameservers']);
  });

  it('a removed hostname keeps the current name until a reboot', () => {
    const p = planLiveApply(base, edit((c) => { delete c.hostname; }));
    assert.deepEqual(p.actions, []);
    assert.deepEqual(p.rebootKeys, ['hostname']);
  });

});

describe('a pending reboot follows the boot config, actions follow the last applied one', () => {
  /** Applies each generation in turn as LiveConfig does: plan from the last config, then carry it into the baseline. */
  const applyAll = (boot: K3OSConfig, generations: K3OSConfig[]) => {
    let last = boot;
    let base: RebootBaseline = rebootBaseline(boot);
    return generations.map((next) => {
      const p = planLiveApply(last, next, base);
      base = carry(base, next);
      last = next;
      return p;
    });
  };
  const label = (c: K3OSConfig, zone: string): K3OSConfig => ({ ...c, k3os: { ...c.k3os, labels: { role: 'edge', zone } } });

  it('an unrelated generation after a reboot-only change still requires the reboot', () => {
    const n = edit((c) => { c.k3os!.install = { device: '/dev/vda' }; });
    const [gN, gN1] = applyAll(base, [n, label(n, 'b')]);
    assert.deepEqual(gN!.rebootKeys, ['k3os.install']);
    assert.deepEqual(kinds(gN1!), ['restartK3s'], 'the label is still applied live');
    assert.equal(gN1!.rebootRequired, true);
    assert.deepEqual(gN1!.rebootKeys, ['k3os.install']);
    assert.match(gN1!.reasons[0]!, /^k3os\.install: /);
  });

  it('a module removed in one generation stays pending through the next', () => {
    const n = edit((c) => { c.k3os!.modules = []; });
    const [, gN1] = applyAll(base, [n, edit((c) => { c.k3os!.modules = []; c.hostname = 'node-2'; })]);
    assert.deepEqual(kinds(gN1!), ['step:hostname']);
    assert.deepEqual(gN1!.rebootKeys, ['k3os.modules']);
    assert.match(gN1!.reasons[0]!, /br_netfilter stay loaded/);
  });

  it('dns and a removed sysctl stay pending; each clears when its key is back at the boot value', () => {
    const n = edit((c) => { c.k3os!.dns_nameservers = ['10.0.0.3']; delete c.k3os!.sysctls!['vm.swappiness']; });
    const dnsBack = edit((c) => { delete c.k3os!.sysctls!['vm.swappiness']; });
    const [gN, gN1, gN2, gN3] = applyAll(base, [n, label(n, 'b'), dnsBack, base]);
    assert.deepEqual(gN!.rebootKeys, ['k3os.sysctls', 'k3os.dns_nameservers']);
    assert.deepEqual(gN1!.rebootKeys, ['k3os.sysctls', 'k3os.dns_nameservers']);
    assert.deepEqual(gN2!.rebootKeys, ['k3os.sysctls'], 'dns is back at the boot value');
    assert.deepEqual(kinds(gN2!), ['restartK3s'], 'the label goes back live; dns has no live action');
    assert.deepEqual(gN3!, { actions: [{ kind: 'step', step: 'sysctls', keys: ['k3os.sysctls'] }], rebootRequired: false, reasons: [], rebootKeys: [] });
  });

  it('reverting a boot-only key clears the pending reboot, with no live action', () => {
    const n = edit((c) => { c.boot_cmd = ['echo hi']; });
    const [gN, gN1] = applyAll(base, [n, structuredClone(base)]);
    assert.equal(gN!.rebootRequired, true);
    assert.deepEqual(gN1, { actions: [], rebootRequired: false, reasons: [], rebootKeys: [] });
  });

  it('a module loaded live and dropped later waits for a reboot, though the boot config never had it', () => {
    const [, gN1] = applyAll(base, [edit((c) => { c.k3os!.modules = ['br_netfilter', 'vxlan']; }), base]);
    assert.deepEqual(gN1!.rebootKeys, ['k3os.modules']);
    assert.match(gN1!.reasons[0]!, /^k3os\.modules: vxlan stay loaded/);
  });

  it('pendingReboot compares with the boot config only: an equal config needs no reboot', () => {
    assert.deepEqual(pendingReboot(rebootBaseline(base), structuredClone(base)), { rebootRequired: false, reasons: [], rebootKeys: [] });
    assert.deepEqual(pendingReboot(rebootBaseline(base), edit((c) => { c.k3os!.ntp_servers = ['pool.ntp.org']; })).rebootKeys, ['k3os.ntp_servers']);
  });
});
