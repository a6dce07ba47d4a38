import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BOOTREPLY, FLAG_BROADCAST, HEADER_LEN, MessageType, Opt, decode, encode, readReplyOptions, u32Bytes, ipOption,
  type DhcpMessage,
} from '../../src/init/network/dhcp-codec.ts';
import { encodeClasslessRoutes, parseClasslessRoutes } from '../../src/init/network/dhcp-routes.ts';

function reply(opts: [number, Uint8Array][]): DhcpMessage {
  return {
    op: BOOTREPLY, xid: 0xdeadbeef, secs: 3, flags: FLAG_BROADCAST,
    ciaddr: '0.0.0.0', yiaddr: '10.200.1.50', siaddr: '10.200.1.1', giaddr: '0.0.0.0',
    chaddr: '02:00:00:aa:bb:cc', options: new Map(opts),
  };
}

test('encode/decode round-trips the header and options', () => {
  const long = new Uint8Array(300).map((_, i) => i & 255);
  const msg = reply([
    [Opt.messageType, Uint8Array.of(MessageType.ack)],
    [Opt.serverId, ipOption('10.200.1.1')],
    [Opt.leaseTime, u32Bytes(120)],
    [224, long],
  ]);
  const bytes = encode(msg);
  assert.ok(bytes.length >= 300);
  const back = decode(bytes);
  assert.ok(back.ok);
  const v = back.value;
  assert.equal(v.xid, 0xdeadbeef);
  assert.equal(v.flags, FLAG_BROADCAST);
  assert.equal(v.yiaddr, '10.200.1.50');
  assert.equal(v.siaddr, '10.200.1.1');
  assert.equal(v.chaddr, '02:00:00:aa:bb:cc');
  assert.deepEqual([...v.options.keys()], [Opt.messageType, Opt.serverId, Opt.leaseTime, 224]);
  // Over 255 bytes is split on the wire and joined again (RFC 3396).
  assert.deepEqual(v.options.get(224), long);
});

test('readReplyOptions types every option the client uses', () => {
  const msg = reply([
    [Opt.messageType, Uint8Array.of(MessageType.offer)],
    [Opt.serverId, ipOption('10.200.1.1')],
    [Opt.subnetMask, ipOption('255.255.255.0')],
    [Opt.router, Uint8Array.of(10, 200, 1, 1, 10, 200, 1, 2)],
    [Opt.dns, Uint8Array.of(10, 200, 1, 1)],
    [Opt.ntp, Uint8Array.of(10, 200, 1, 3)],
    [Opt.domain, new TextEncoder().encode('example.test')],
    [Opt.hostname, new TextEncoder().encode('node-a')],
    [Opt.mtu, Uint8Array.of(0x05, 0xdc)],
    [Opt.leaseTime, u32Bytes(3600)],
    [Opt.t1, u32Bytes(1800)],
    [Opt.t2, u32Bytes(3000)],
    [Opt.classlessRoutes, encodeClasslessRoutes([{ to: '0.0.0.0', prefix: 0, via: '10.200.1.254' }])],
  ]);
  const d = decode(encode(msg));
  assert.ok(d.ok);
  const r = readReplyOptions(d.value);
  assert.ok(r.ok);
  assert.deepEqual(r.value, {
    messageType: 'offer', serverId: '10.200.1.1', subnetMask: '255.255.255.0',
    routers: ['10.200.1.1', '10.200.1.2'], dns: ['10.200.1.1'], ntp: ['10.200.1.3'],
    domain: 'example.test', hostname: 'node-a', mtu: 1500, leaseTime: 3600, t1: 1800, t2: 3000,
    classlessRoutes: [{ to: '0.0.0.0', prefix: 0, via: '10.200.1.254' }],
  });
});

test('decode rejects malformed packets with a typed reason', () => {
  const good = encode(reply([[Opt.messageType, Uint8Array.of(MessageType.ack)]]));
  const cases: [string, Uint8Array][] = [];
  cases.push(['TRUNCATED', good.subarray(0, HEADER_LEN - 1)]);
  const badCookie = good.slice(); badCookie[236] = 0x64; cases.push(['BAD_COOKIE', badCookie]);
  const badOp = good.slice(); badOp[0] = 9; cases.push(['BAD_OP', badOp]);
  const badHlen = good.slice(); badHlen[2] = 16; cases.push(['BAD_HTYPE', badHlen]);
  const overrun = good.slice(0, HEADER_LEN + 4); overrun.set([Opt.hostname, 50, 65, 66], HEADER_LEN); cases.push(['OPTION_OVERRUN', overrun]);
  const noLen = good.slice(0, HEADER_LEN + 1); noLen[HEADER_LEN] = Opt.hostname; cases.push(['OPTION_OVERRUN', noLen]);
  const noEnd = good.slice(0, HEADER_LEN + 3); cases.push(['NO_END', noEnd]);
  for (const [code, bytes] of cases) {
    const r = decode(bytes);
    assert.equal(r.ok, false, code);
    if (!r.ok) assert.equal(r.error.code, code);
  }
});

test('readReplyOptions rejects wrong option lengths and unknown types', () => {
  const bad = (opts: [number, Uint8Array][]): string | undefined => {
    const r = readReplyOptions(reply(opts));
    return r.ok ? undefined : r.error.code;
  };
  assert.equal(bad([]), 'NO_MESSAGE_TYPE');
  assert.equal(bad([[Opt.messageType, Uint8Array.of(42)]]), 'BAD_MESSAGE_TYPE');
  assert.equal(bad([[Opt.messageType, Uint8Array.of(5, 5)]]), 'BAD_OPTION_LENGTH');
  assert.equal(bad([[Opt.messageType, Uint8Array.of(5)], [Opt.serverId, Uint8Array.of(1, 2, 3)]]), 'BAD_OPTION_LENGTH');
  assert.equal(bad([[Opt.messageType, Uint8Array.of(5)], [Opt.router, Uint8Array.of(1, 2, 3, 4, 5)]]), 'BAD_OPTION_LENGTH');
  assert.equal(bad([[Opt.messageType, Uint8Array.of(5)], [Opt.leaseTime, Uint8Array.of(1)]]), 'BAD_OPTION_LENGTH');
  assert.equal(bad([[Opt.messageType, Uint8Array.of(5)], [Opt.classlessRoutes, Uint8Array.of(33, 0, 0, 0, 0)]]), 'BAD_ROUTES');
});

test('option overload: options in the file and sname fields are read', () => {
  const msg = reply([[Opt.messageType, Uint8Array.of(MessageType.ack)], [Opt.overload, Uint8Array.of(3)]]);
  const bytes = encode(msg);
  bytes.set([Opt.hostname, 2, 0x68, 0x69, Opt.end], 108);
  bytes.set([Opt.domain, 1, 0x64, Opt.end], 44);
  const r = decode(bytes);
  assert.ok(r.ok);
  const o = readReplyOptions(r.value);
  assert.ok(o.ok);
  assert.equal(o.value.hostname, 'hi');
  assert.equal(o.value.domain, 'd');
});

test('RFC 3442 classless routes: examples from the RFC and edge cases', () => {
  // RFC 3442 section 3 examples: 0/0, 10.0.0.0/8, 10.0.0.0/24 ... encoded with significant octets only.
  const bytes = Uint8Array.of(
    0, 10, 0, 0, 1,
    8, 10, 10, 0, 0, 2,
    24, 192, 168, 5, 10, 0, 0, 3,
    32, 192, 168, 5, 7, 0, 0, 0, 0,
    25, 172, 16, 1, 255, 10, 0, 0, 4,
  );
  const r = parseClasslessRoutes(bytes);
  assert.ok(r.ok);
  assert.deepEqual(r.value, [
    { to: '0.0.0.0', prefix: 0, via: '10.0.0.1' },
    { to: '10.0.0.0', prefix: 8, via: '10.0.0.2' },
    { to: '192.168.5.0', prefix: 24, via: '10.0.0.3' },
    { to: '192.168.5.7', prefix: 32, via: '0.0.0.0' },
    // host bits beyond the prefix are masked off
    { to: '172.16.1.128', prefix: 25, via: '10.0.0.4' },
  ]);
  assert.deepEqual(parseClasslessRoutes(encodeClasslessRoutes(r.value)), r);
  assert.equal(parseClasslessRoutes(Uint8Array.of(24, 10, 0)).ok, false);
  assert.equal(parseClasslessRoutes(Uint8Array.of(40, 0, 0, 0, 0)).ok, false);
  assert.deepEqual(parseClasslessRoutes(new Uint8Array(0)), { ok: true, value: [] });
});
