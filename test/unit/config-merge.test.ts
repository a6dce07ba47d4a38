import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ConfigSource } from '../../src/config/index.ts';
import { loadConfig, mergeConfigs } from '../../src/config/index.ts';

describe('config merge', () => {
  it('all sources in k3OS order, later wins, provenance of each key', () => {
    const sources: ConfigSource[] = [
      { name: '/k3os/system/config.yaml', text: 'hostname: system\nrun_cmd: [a]\nk3os:\n  token: sys\n  labels: {a: "1", b: "2"}\n  install: {silent: true}\n' },
      { kind: 'cmdline', text: 'k3os.token=cmdline k3os.install.device=/dev/vda hostname=cmdline' },
      { name: '/var/lib/rancher/k3os/config.yaml', text: 'hostname: local\nk3os:\n  labels: {c: "3"}\n' },
      { kind: 'metadata', name: 'cloud metadata', hostname: 'meta\n', authorizedKeys: 'ssh-rsa A\n\nssh-rsa B\n' },
      { kind: 'userdata', name: '/run/config/userdata', bytes: Buffer.from('k3os:\n  server_url: https://s:6443\n') },
      { name: '/var/lib/rancher/k3os/config.d/10-a.yaml', text: 'run_cmd: [b, c]\n' },
      { name: '/var/lib/rancher/k3os/config.d/20-b.yaml', text: 'k3os:\n  token: last\n' },
    ];
    const r = loadConfig(sources);
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.config, {
      hostname: 'meta',
      ssh_authorized_keys: ['ssh-rsa A', 'ssh-rsa B'],
      run_cmd: ['b', 'c'],
      k3os: {
        token: 'last',
        labels: { c: '3' },
        install: { silent: true, device: '/dev/vda' },
        server_url: 'https://s:6443',
      },
    });
  });
  it('a later source that omits a key keeps the earlier value', () => {
    const r = loadConfig([
      { name: 'a', text: 'hostname: a\nk3os: {modules: [kvm]}\n' },
      { name: 'b', text: 'k3os: {sysctls: {vm.x: "1"}}\n' },
    ]);
    assert.deepEqual(r.config, { hostname: 'a', k3os: { modules: ['kvm'], sysctls: { 'vm.x': '1' } } });
  });
  it('lists and string maps are replaced whole, never concatenated', () => {
    const m = mergeConfigs([
      { ssh_authorized_keys: ['a', 'b'], k3os: { environment: { A: '1' }, k3s_args: ['server'] } },
      { ssh_authorized_keys: ['c'], k3os: { environment: { B: '2' }, k3s_args: [] } },
    ]);
    assert.deepEqual(m, { ssh_authorized_keys: ['c'], k3os: { environment: { B: '2' }, k3s_args: [] } });
  });
  it('network interfaces merge by name; one interface is replaced whole', () => {
    const m = mergeConfigs([
      { k3os: { network: { interfaces: { eth0: { addresses: ['10.0.0.2/24'], gateway: '10.0.0.1' }, eth1: { dhcp: true } } } } },
      { k3os: { network: { interfaces: { eth0: { addresses: ['10.0.0.3/24'] } }, online_timeout: 5 } } },
    ]);
    assert.deepEqual(m.k3os?.network, { interfaces: { eth0: { addresses: ['10.0.0.3/24'] }, eth1: { dhcp: true } }, online_timeout: 5 });
  });
  it('merge does not share structure with its inputs', () => {
    const a = { k3os: { labels: { x: '1' } } };
    const m = mergeConfigs([a]);
    m.k3os!.labels!.x = 'changed';
    assert.equal(a.k3os.labels.x, '1');
  });
});
