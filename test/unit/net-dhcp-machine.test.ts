import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BOOTREPLY, MessageType, Opt, decode, encode, ipOption, u32Bytes, type DhcpMessage,
} from '../../src/init/network/dhcp-codec.ts';
import { createMachine, step, type DhcpAction, type DhcpEvent, type Machine } from '../../src/init/network/dhcp-machine.ts';

const MAC = '02:00:00:00:00:01';
const SERVER = '10.200.1.1';

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function reply(m: Machine, type: keyof typeof MessageType, extra: [number, Uint8Array][] = [], yiaddr = '10.200.1.50'): DhcpMessage {
  return {
    op: BOOTREPLY, xid: m.xid, secs: 0, flags: 0, ciaddr: '0.0.0.0', yiaddr, siaddr: '0.0.0.0', giaddr: '0.0.0.0',
    chaddr: MAC,
    options: new Map<number, Uint8Array>([
      [Opt.messageType, Uint8Array.of(MessageType[type])],
      [Opt.serverId, ipOption(SERVER)],
      [Opt.subnetMask, ipOption('255.255.255.0')],
      [Opt.router, ipOption(SERVER)],
      [Opt.leaseTime, u32Bytes(120)],
      ...extra,
    ]),
  };
}

function run(m: Machine, e: DhcpEvent): { m: Machine; a: DhcpAction[] } {
  const r = step(m, e);
  return { m: r.machine, a: r.actions };
}

const sent = (a: DhcpAction[]) => a.filter((x): x is Extract<DhcpAction, { type: 'send' }> => x.type === 'send');
const msgType = (msg: DhcpMessage): number => msg.options.get(Opt.messageType)![0]!;
const timerAt = (a: DhcpAction[], name: string) => a.find((x) => x.type === 'setTimer' && x.timer === name) as { at: number } | undefined;

function bound(): Machine {
  let { m, a } = run(createMachine({ mac: MAC, random: seeded(1), hostname: 'node-a' }), { type: 'start', now: 0 });
  assert.equal(m.state, 'selecting');
  const discover = sent(a)[0]!;
  assert.equal(msgType(discover.message), MessageType.discover);
  assert.equal(discover.to, 'broadcast');
  assert.equal(discover.message.flags & 0x8000, 0x8000);
  assert.deepEqual([...discover.message.options.get(Opt.clientId)!], [1, 2, 0, 0, 0, 0, 1]);
  assert.equal(new TextDecoder().decode(discover.message.options.get(Opt.hostname)), 'node-a');
  ({ m, a } = run(m, { type: 'reply', now: 10, message: reply(m, 'offer') }));
  assert.equal(m.state, 'requesting');
  const req = sent(a)[0]!.message;
  assert.equal(msgType(req), MessageType.request);
  assert.deepEqual([...req.options.get(Opt.requestedIp)!], [10, 200, 1, 50]);
  assert.deepEqual([...req.options.get(Opt.serverId)!], [10, 200, 1, 1]);
  ({ m, a } = run(m, { type: 'reply', now: 20, message: reply(m, 'ack') }));
  assert.equal(m.state, 'bound');
  const cfg = a.find((x) => x.type === 'configure') as Extract<DhcpAction, { type: 'configure' }>;
  assert.equal(cfg.lease.address, '10.200.1.50');
  assert.equal(cfg.lease.prefix, 24);
  assert.equal(timerAt(a, 't1')!.at, 20 + 60_000);
  assert.equal(timerAt(a, 't2')!.at, 20 + 105_000);
  assert.equal(timerAt(a, 'expiry')!.at, 20 + 120_000);
  return m;
}

test('DISCOVER -> OFFER -> REQUEST -> ACK binds with T1/T2 defaults', () => { bound(); });

test('T1 renews by unicast, T2 rebinds by broadcast, expiry removes the address and restarts', () => {
  let m = bound();
  let a: DhcpAction[];
  ({ m, a } = run(m, { type: 'timer', timer: 't1', now: 60_020 }));
  assert.equal(m.state, 'renewing');
  const renew = sent(a)[0]!;
  assert.deepEqual(renew.to, { unicast: SERVER });
  assert.equal(renew.message.ciaddr, '10.200.1.50');
  assert.equal(renew.message.options.has(Opt.requestedIp), false);
  assert.equal(renew.message.options.has(Opt.serverId), false);
  ({ m, a } = run(m, { type: 'timer', timer: 't2', now: 105_020 }));
  assert.equal(m.state, 'rebinding');
  assert.equal(sent(a)[0]!.to, 'broadcast');
  ({ m, a } = run(m, { type: 'timer', timer: 'expiry', now: 120_020 }));
  assert.equal(m.state, 'selecting');
  assert.ok(a.some((x) => x.type === 'deconfigure' && x.reason === 'lease expired'));
  assert.equal(msgType(sent(a)[0]!.message), MessageType.discover);
});

test('ACK in RENEWING re-binds with fresh timers; NAK deconfigures and restarts', () => {
  let m = bound();
  let a: DhcpAction[];
  ({ m } = run(m, { type: 'timer', timer: 't1', now: 60_020 }));
  ({ m, a } = run(m, { type: 'reply', now: 60_030, message: reply(m, 'ack') }));
  assert.equal(m.state, 'bound');
  assert.equal(timerAt(a, 't1')!.at, 60_030 + 60_000);
  ({ m } = run(m, { type: 'timer', timer: 't1', now: 120_030 }));
  ({ m, a } = run(m, { type: 'reply', now: 120_040, message: reply(m, 'nak') }));
  assert.equal(m.state, 'selecting');
  assert.ok(a.some((x) => x.type === 'deconfigure'));
});

test('replies with a foreign xid or chaddr, or the wrong type, are dropped with a reason', () => {
  let { m } = run(createMachine({ mac: MAC, random: seeded(2) }), { type: 'start', now: 0 });
  const wrongXid = { ...reply(m, 'offer'), xid: (m.xid + 1) >>> 0 };
  const wrongMac = { ...reply(m, 'offer'), chaddr: '02:00:00:00:00:02' };
  for (const msg of [wrongXid, wrongMac, reply(m, 'ack')]) {
    const r = run(m, { type: 'reply', now: 5, message: msg });
    assert.equal(r.m.state, 'selecting');
    assert.equal(r.a.length, 1);
    assert.equal(r.a[0]!.type, 'drop');
  }
});

test('INIT-REBOOT with a stored lease: ACK binds, silence falls back to DISCOVER', () => {
  const lease = { address: '10.200.1.77', prefix: 24, serverId: SERVER, routers: [], dns: [], ntp: [], leaseTime: 120, t1: 60, t2: 105 };
  let { m, a } = run(createMachine({ mac: MAC, random: seeded(3), rebootTimeoutMs: 2000 }), { type: 'start', now: 0, lease });
  assert.equal(m.state, 'rebooting');
  assert.deepEqual([...sent(a)[0]!.message.options.get(Opt.requestedIp)!], [10, 200, 1, 77]);
  assert.equal(sent(a)[0]!.message.options.has(Opt.serverId), false);
  const ok = run(m, { type: 'reply', now: 5, message: reply(m, 'ack', [], '10.200.1.77') });
  assert.equal(ok.m.state, 'bound');
  ({ m, a } = run(m, { type: 'timer', timer: 'retransmit', now: 1000 }));
  assert.equal(m.state, 'rebooting');
  ({ m, a } = run(m, { type: 'timer', timer: 'retransmit', now: 2000 }));
  assert.equal(m.state, 'selecting');
  assert.equal(a.some((x) => x.type === 'deconfigure'), false, 'an unconfigured stored lease is not removed');
});

test('carrier loss and return: verify the held lease, keep it when nobody answers', () => {
  let m = bound();
  let a: DhcpAction[];
  ({ m } = run(m, { type: 'linkDown', now: 1000 }));
  ({ m, a } = run(m, { type: 'linkUp', now: 2000 }));
  assert.equal(m.state, 'rebooting');
  assert.equal(sent(a)[0]!.to, 'broadcast');
  ({ m } = run(m, { type: 'timer', timer: 'retransmit', now: 3000 }));
  ({ m, a } = run(m, { type: 'timer', timer: 'retransmit', now: 4000 }));
  assert.equal(m.state, 'bound');
  assert.equal(a.some((x) => x.type === 'deconfigure'), false);
});

test('stop with release sends DHCPRELEASE to the server and deconfigures', () => {
  const { m, a } = run(bound(), { type: 'stop', now: 5000, release: true });
  assert.equal(m.state, 'stopped');
  const rel = sent(a)[0]!;
  assert.equal(msgType(rel.message), MessageType.release);
  assert.deepEqual(rel.to, { unicast: SERVER });
  assert.ok(a.some((x) => x.type === 'deconfigure' && x.reason === 'released'));
});

test('REQUESTING gives up after four unanswered requests and discovers again', () => {
  let { m } = run(createMachine({ mac: MAC, random: seeded(4) }), { type: 'start', now: 0 });
  ({ m } = run(m, { type: 'reply', now: 1, message: reply(m, 'offer') }));
  for (let i = 1; i <= 3; i++) {
    ({ m } = run(m, { type: 'timer', timer: 'retransmit', now: i * 10_000 }));
    assert.equal(m.state, 'requesting');
  }
  ({ m } = run(m, { type: 'timer', timer: 'retransmit', now: 40_000 }));
  assert.equal(m.state, 'selecting');
});

test('fuzz: 10,000 malformed replies never throw and are all dropped with a reason', () => {
  const rand = seeded(42);
  const base = createMachine({ mac: MAC, random: seeded(5) });
  const { m } = run(base, { type: 'start', now: 0 });
  const good = encode(reply(m, 'offer', [[Opt.classlessRoutes, Uint8Array.of(24, 10, 9, 8, 10, 200, 1, 1)]]));
  let optEnd = 240;
  while (good[optEnd] !== Opt.end) optEnd += 2 + good[optEnd + 1]!;
  const reasons = new Map<string, number>();
  for (let i = 0; i < 10_000; i++) {
    let bytes: Uint8Array;
    const kind = i % 5;
    if (kind === 0) bytes = good.slice(0, Math.floor(rand() * optEnd));
    else if (kind === 1) { bytes = good.slice(); { const k = 236 + Math.floor(rand() * 4); bytes[k] = bytes[k]! ^ (1 + Math.floor(rand() * 255)); } }
    else if (kind === 2) { bytes = good.slice(0, 240 + 2 + Math.floor(rand() * 8)); bytes[240] = 1 + Math.floor(rand() * 254); bytes[241] = 100 + Math.floor(rand() * 155); }
    else if (kind === 3) { bytes = good.slice(); const k = rand() < 0.5 ? 4 : 28 + Math.floor(rand() * 6); bytes[k] = bytes[k]! ^ (1 + Math.floor(rand() * 255)); }
    else {
      // a valid type, then a server identifier of a random wrong length
      bytes = good.slice();
      const len = [0, 1, 2, 3, 5, 6, 7, 8][Math.floor(rand() * 8)]!;
      bytes.set([Opt.messageType, 1, MessageType.offer, Opt.serverId, len, ...new Array<number>(len).fill(7), Opt.end], 240);
    }
    const d = decode(bytes);
    let reason: string;
    if (!d.ok) reason = d.error.code;
    else {
      const r = step(m, { type: 'reply', now: 1, message: d.value });
      assert.equal(r.machine.state, 'selecting', `input ${i} moved the machine`);
      const drop = r.actions.find((x) => x.type === 'drop') as { reason: string } | undefined;
      assert.ok(drop, `input ${i} was not dropped`);
      reason = drop.reason.split(/[:\s]/)[0]!;
    }
    reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
  }
  for (const code of ['TRUNCATED', 'BAD_COOKIE', 'OPTION_OVERRUN', 'xid', 'chaddr', 'BAD_OPTION_LENGTH']) {
    assert.ok((reasons.get(code) ?? 0) > 0, `no input was dropped as ${code}: ${JSON.stringify([...reasons])}`);
  }
});
