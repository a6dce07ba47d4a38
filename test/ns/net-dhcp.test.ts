// The network manager on the real kernel: two namespaces joined by veth
// pairs, dnsmasq serving DHCP on one, our manager (run by the pinned node
// inside the other). Only 10.200.x.y addresses inside those namespaces.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NODE, canRun, createLab, dnsmasqArgs, ip, type Lab, type Proc } from './net-harness.ts';

const skip = canRun();
let lab: Lab;
let dnsmasq: Proc;
let client: Proc;
let root: string;

const isState = (to: string) => (l: Record<string, unknown>) => l.msg === `dhcp: ${to}` && l.iface === 'k3b';
const startDnsmasq = (): Proc => lab.spawnIn(lab.srv, dnsmasqArgs('k3a', '10.200.1', lab.dir, [
  '--dhcp-option=option:router,10.200.1.1', '--dhcp-option=option:dns-server,10.200.1.1',
  '--dhcp-option=option:domain-name,k3t.test', '--dhcp-option=option:T1,8', '--dhcp-option=option:T2,16',
]));

before(() => {
  if (skip) return;
  lab = createLab('d');
  lab.pair('k3a', 'k3b', '10.200.1');
  lab.pair('k3c', 'k3d', '10.200.2');
  root = join(lab.dir, 'root');
  mkdirSync(root);
  dnsmasq = startDnsmasq();
  const config = {
    k3os: {
      network: {
        online_timeout: 20,
        interfaces: {
          k3d: { addresses: ['10.200.2.2/24'], routes: [{ to: '10.250.0.0/16', via: '10.200.2.1' }], dns: ['10.200.2.53'] },
        },
      },
    },
  };
  client = lab.spawnIn(lab.cli, [NODE, join(import.meta.dirname, 'net-fixture-node.ts'), JSON.stringify(config), root]);
});

after(async () => {
  if (skip) return;
  await client?.stop();
  await dnsmasq?.stop();
  lab.cleanup();
});

test('DHCP lease: address, default route, resolv.conf, node IP, persisted lease', { skip }, async () => {
  const bound = await client.waitFor((l) => l.msg === 'dhcp: lease applied', 20000, 'a lease');
  const addr = String(bound.address);
  assert.match(addr, /^10\.200\.1\.(5\d|[6-9]\d)\/24$/);
  assert.match(ip('-n', lab.cli, '-4', 'addr', 'show', 'dev', 'k3b'), new RegExp(`inet ${addr.replace(/\./g, '\\.')} `));
  assert.match(ip('-n', lab.cli, 'route', 'show', 'default'), /default via 10\.200\.1\.1 dev k3b proto dhcp src 10\.200\.1\.\d+ metric 100/);
  const online = await client.waitFor((l) => l.msg === 'online-result', 20000, 'online');
  assert.equal(online.online, true);
  assert.equal(online.nodeIp, addr.split('/')[0]);
  const resolv = readFileSync(join(root, 'etc/resolv.conf'), 'utf8');
  assert.match(resolv, /^search k3t\.test$/m);
  assert.match(resolv, /^nameserver 10\.200\.1\.1$/m);
  assert.match(resolv, /^nameserver 10\.200\.2\.53$/m);
  const stored = JSON.parse(readFileSync(join(root, 'var/lib/k3os/dhcp/k3b.json'), 'utf8'));
  assert.equal(`${stored.lease.address}/${stored.lease.prefix}`, addr);
  assert.equal(stored.lease.t1, 8);
  // No hostname in config or from dnsmasq: k3OS's generated name, saved under /var.
  const host = await client.waitFor((l) => l.msg === 'sethostname', 5000, 'hostname');
  assert.match(String(host.name), /^k3os-\d+$/);
  assert.equal(readFileSync(join(root, 'var/lib/rancher/k3os/hostname'), 'utf8'), `${host.name}\n`);
});

test('static config on the second veth', { skip }, async () => {
  await client.waitFor((l) => l.msg === 'network: static config applied' && l.iface === 'k3d', 10000, 'static config');
  assert.match(ip('-n', lab.cli, '-4', 'addr', 'show', 'dev', 'k3d'), /inet 10\.200\.2\.2\/24 /);
  assert.match(ip('-n', lab.cli, 'route', 'show', '10.250.0.0/16'), /10\.250\.0\.0\/16 via 10\.200\.2\.1 dev k3d proto static/);
});

test('renew at T1 with the server up', { skip }, async () => {
  await client.waitFor(isState('renewing'), 15000, 'renewing');
  const n = client.lines.length;
  await client.waitFor((l) => client.lines.indexOf(l) >= n && isState('bound')(l), 10000, 'bound after renew');
});

test('server gone: renew fails, rebind at T2 reaches the restarted server', { skip }, async () => {
  await dnsmasq.stop();
  const n = client.lines.length;
  const after = (pred: (l: Record<string, unknown>) => boolean) => (l: Record<string, unknown>) => client.lines.indexOf(l) >= n && pred(l);
  await client.waitFor(after(isState('renewing')), 15000, 'renewing while the server is down');
  dnsmasq = startDnsmasq();
  await client.waitFor(after(isState('rebinding')), 15000, 'rebinding at T2');
  const m = client.lines.length;
  await client.waitFor((l) => client.lines.indexOf(l) >= m && isState('bound')(l), 15000, 'bound after rebind');
  assert.match(ip('-n', lab.cli, '-4', 'addr', 'show', 'dev', 'k3b'), /inet 10\.200\.1\.\d+\/24 /);
});

test('carrier down and up is followed: the lease is verified again (INIT-REBOOT)', { skip }, async () => {
  const n = client.lines.length;
  const after = (pred: (l: Record<string, unknown>) => boolean) => (l: Record<string, unknown>) => client.lines.indexOf(l) >= n && pred(l);
  ip('-n', lab.srv, 'link', 'set', 'k3a', 'down');
  await client.waitFor(after((l) => l.msg === 'network: carrier changed' && l.carrier === false), 10000, 'carrier down');
  ip('-n', lab.srv, 'link', 'set', 'k3a', 'up');
  await client.waitFor(after((l) => l.msg === 'network: carrier changed' && l.carrier === true), 10000, 'carrier up');
  await client.waitFor(after(isState('rebooting')), 10000, 'rebooting');
  await client.waitFor(after(isState('bound')), 15000, 'bound after carrier up');
});

test('stop releases the lease and removes the address', { skip }, async () => {
  await client.stop();
  assert.ok(client.lines.some((l) => (l as { msg?: string }).msg === 'stopped'));
  assert.doesNotMatch(ip('-n', lab.cli, '-4', 'addr', 'show', 'dev', 'k3b'), /inet 10\.200\.1\./);
  assert.equal(existsSync(join(root, 'var/lib/k3os/dhcp/k3b.json')), false);
});
