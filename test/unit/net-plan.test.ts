import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planLease } from '../../src/init/network/lease-plan.ts';
import { defaultRoute, nodeIp, planLink, planStatic } from '../../src/init/network/plan.ts';
import { planResolv, renderResolv } from '../../src/init/network/resolv.ts';
import { chooseHostname } from '../../src/init/network/hostname.ts';
import { buildIpUdp, parseIpUdp } from '../../src/init/network/udp-frame.ts';
import { sntpRequest, sntpResponse, toNtp } from '../../src/init/network/sntp.ts';
import type { NetLink, NetRoute } from '../../src/sys/net-types.ts';

const link = (o: Partial<NetLink>): NetLink => ({ index: 2, name: 'eth0', type: 1, flags: 0, up: true, loopback: false, carrier: true, operstate: 'up', ...o });
const lease = { address: '10.0.0.5', prefix: 24, serverId: '10.0.0.1', routers: ['10.0.0.1'], dns: [], ntp: [], leaseTime: 600, t1: 300, t2: 525 };

test('planLink: physical NICs get DHCP, virtual kinds and loopback do not, config decides', () => {
  assert.deepEqual(planLink(link({}), undefined), { dhcp: true });
  assert.equal(planLink(link({ kind: 'veth' }), undefined), undefined);
  assert.deepEqual(planLink(link({ kind: 'veth' }), undefined, ['veth']), { dhcp: true });
  assert.equal(planLink(link({ loopback: true, type: 772 }), undefined), undefined);
  const cfg = { interfaces: { eth0: { addresses: ['10.1.0.2/24'] } } };
  assert.deepEqual(planLink(link({}), cfg), { dhcp: false, static: cfg.interfaces.eth0 });
  assert.equal(planLink(link({}), { interfaces: { eth0: { addresses: ['10.1.0.2/24'], dhcp: true } } })!.dhcp, true);
});

test('planStatic: addresses, gateway on-link when outside the subnets, routes with metric', () => {
  const p = planStatic(3, { addresses: ['10.1.0.2/24', 'fd00::2/64'], gateway: '10.9.9.1', routes: [{ to: '172.16.5.9/16', via: '10.1.0.1', metric: 7 }, { to: 'default', via: 'fd00::1' }], mtu: 9000 });
  assert.deepEqual(p.addresses, [{ index: 3, address: '10.1.0.2', prefix: 24 }, { index: 3, address: 'fd00::2', prefix: 64 }]);
  assert.equal(p.mtu, 9000);
  assert.deepEqual(p.routes, [
    { dst: '0.0.0.0', prefix: 0, gateway: '10.9.9.1', oif: 3, protocol: 'static', onlink: true },
    { dst: '172.16.0.0', prefix: 16, gateway: '10.1.0.1', oif: 3, protocol: 'static', onlink: false, metric: 7 },
    { dst: '::', prefix: 0, gateway: 'fd00::1', oif: 3, protocol: 'static', onlink: false },
  ]);
});

test('planLease: router default route, or RFC 3442 routes instead of it; lifetimes from the lease', () => {
  const p = planLease(2, lease, 100);
  assert.deepEqual(p.address, { index: 2, address: '10.0.0.5', prefix: 24, validLft: 600, preferredLft: 600 });
  assert.deepEqual(p.routes, [{ dst: '0.0.0.0', prefix: 0, gateway: '10.0.0.1', oif: 2, metric: 100, protocol: 'dhcp', src: '10.0.0.5', onlink: false }]);
  const c = planLease(2, { ...lease, prefix: 32, classlessRoutes: [{ to: '10.0.0.1', prefix: 32, via: '0.0.0.0' }, { to: '0.0.0.0', prefix: 0, via: '10.0.0.1' }] }, 100);
  assert.deepEqual(c.routes.map((r) => [r.dst, r.prefix, r.gateway, r.onlink]), [['10.0.0.1', 32, undefined, undefined], ['0.0.0.0', 0, '10.0.0.1', true]]);
});

test('defaultRoute and nodeIp', () => {
  const r = (o: Partial<NetRoute>): NetRoute => ({ family: 4, dst: '0.0.0.0', prefix: 0, table: 254, protocol: 16, scope: 0, type: 1, onlink: false, ...o });
  const routes = [r({ prefix: 24, dst: '10.0.0.0', oif: 2 }), r({ oif: 3, metric: 200 }), r({ oif: 2, metric: 100 }), r({ table: 255, oif: 9 })];
  assert.equal(defaultRoute(routes)!.oif, 2);
  assert.equal(nodeIp(routes, [{ index: 2, family: 4, address: '10.0.0.5', prefix: 24, scope: 0, flags: 0 }]), '10.0.0.5');
  assert.equal(nodeIp([r({ oif: 2, src: '10.0.0.9' })], []), '10.0.0.9');
  assert.equal(nodeIp([], []), undefined);
});

test('resolv.conf: explicit dns_nameservers wins; learned servers deduplicated, at most three', () => {
  const learned = [{ dns: ['10.0.0.1', '10.0.0.2'], domain: 'a.test b.test' }, { dns: ['10.0.0.2', '10.0.0.3', '10.0.0.4'] }];
  assert.deepEqual(planResolv({ learned }), { nameservers: ['10.0.0.1', '10.0.0.2', '10.0.0.3'], search: ['a.test', 'b.test'] });
  assert.deepEqual(planResolv({ configured: ['1.1.1.1'], learned }).nameservers, ['1.1.1.1']);
  assert.match(renderResolv({ nameservers: ['1.1.1.1'], search: ['a.test'] }), /^search a\.test\nnameserver 1\.1\.1\.1\n$/m);
});

test('hostname: config, then DHCP, then saved, then k3os-<random> (saved)', () => {
  const random = () => 0.5;
  assert.deepEqual(chooseHostname({ configured: 'n1', dhcp: 'd', random }), { name: 'n1', source: 'config', save: false });
  assert.deepEqual(chooseHostname({ dhcp: 'd1.example.test', saved: 's', random }), { name: 'd1', source: 'dhcp', save: false });
  assert.deepEqual(chooseHostname({ saved: 's1', random }), { name: 's1', source: 'saved', save: false });
  assert.deepEqual(chooseHostname({ dhcp: 'bad name!', random }), { name: 'k3os-16384', source: 'generated', save: true });
});

test('IPv4/UDP framing round-trips and rejects what is not UDP to us', () => {
  const payload = Uint8Array.of(1, 2, 3, 4, 5);
  const f = buildIpUdp({ src: '0.0.0.0', dst: '255.255.255.255', srcPort: 68, dstPort: 67, payload });
  const p = parseIpUdp(f);
  assert.ok(p.ok);
  assert.deepEqual(p.value, { src: '0.0.0.0', dst: '255.255.255.255', srcPort: 68, dstPort: 67, payload });
  let sum = 0;
  for (let i = 0; i < 20; i += 2) sum += (f[i]! << 8) | f[i + 1]!;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  assert.equal(sum, 0xffff, 'IPv4 header checksum');
  const tcp = f.slice(); tcp[9] = 6;
  assert.equal(parseIpUdp(tcp).ok, false);
  assert.equal(parseIpUdp(f.subarray(0, 27)).ok, false);
  const long = f.slice(); long[3] = 255;
  assert.equal(parseIpUdp(long).ok, false);
});

test('SNTP: offset from the four timestamps; mismatched originate and kiss-o-death rejected', () => {
  const t1 = 1_700_000_000_000;
  const req = sntpRequest(t1);
  const reply = new Uint8Array(48);
  const v = new DataView(reply.buffer);
  reply[0] = (4 << 3) | 4;
  reply[1] = 2;
  reply.set(req.subarray(40, 48), 24);
  toNtp(t1 + 5010, v, 32);
  toNtp(t1 + 5020, v, 40);
  const r = sntpResponse(reply, req, t1 + 40);
  assert.ok(r.ok);
  assert.ok(Math.abs(r.offsetMs - 4995) < 1, String(r.offsetMs));
  assert.ok(Math.abs(r.delayMs - 30) < 1);
  assert.equal(r.leap, 0);
  const kod = reply.slice(); kod[1] = 0; kod.set([0x52, 0x41, 0x54, 0x45], 12);
  assert.deepEqual(sntpResponse(kod, req, t1 + 40), { ok: false, reason: 'kiss-o\'-death "RATE"' });
  const other = reply.slice(); other[31] = other[31]! ^ 1;
  assert.equal(sntpResponse(other, req, t1 + 40).ok, false);
});
