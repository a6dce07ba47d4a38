import assert from 'node:assert/strict';
import { test } from 'node:test';
import { issueAddressesOf } from '../../src/init/network/bring-up.ts';
import { withNodeIp } from '../../src/init/k3s/service.ts';
import type { NetAddress, NetLink } from '../../src/sys/net-types.ts';

test('k3s gets --node-ip from the network phase unless k3s_args choose one', () => {
  assert.deepEqual(withNodeIp(['server', '--write-kubeconfig-mode', '0644'], '10.0.2.15'),
    ['server', '--write-kubeconfig-mode', '0644', '--node-ip', '10.0.2.15']);
  assert.deepEqual(withNodeIp(['agent', '--node-ip', '192.168.1.5'], '10.0.2.15'), ['agent', '--node-ip', '192.168.1.5']);
  assert.deepEqual(withNodeIp(['server', '--node-ip=192.168.1.5'], '10.0.2.15'), ['server', '--node-ip=192.168.1.5']);
  assert.deepEqual(withNodeIp(['server'], undefined), ['server']);
  // --node-ip-something is not --node-ip (k3s has --node-external-ip, and may grow others).
  assert.deepEqual(withNodeIp(['server', '--node-external-ip=1.2.3.4'], '10.0.2.15'), ['server', '--node-external-ip=1.2.3.4', '--node-ip', '10.0.2.15']);
});

test('/etc/issue addresses carry interface names and prefixes', () => {
  const link = (index: number, name: string): NetLink => ({ index, name, type: 1, flags: 0, up: true, loopback: index === 1, carrier: true, operstate: 'up' });
  const addr = (index: number, address: string, prefix: number): NetAddress => ({ index, family: address.includes(':') ? 6 : 4, address, prefix, scope: 0, flags: 0 });
  const net = { links: () => [link(1, 'lo'), link(2, 'eth0')], addresses: () => [addr(1, '127.0.0.1', 8), addr(2, '10.0.2.15', 24), addr(3, 'fd00::5', 64)] };
  assert.deepEqual(issueAddressesOf(net), [
    { iface: 'lo', address: '127.0.0.1/8' }, { iface: 'eth0', address: '10.0.2.15/24' }, { iface: 'if3', address: 'fd00::5/64' },
  ]);
});
