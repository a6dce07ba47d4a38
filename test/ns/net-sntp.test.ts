// SNTP on the real kernel: two namespaces joined by a veth pair; chrony (a
// real NTP server, never synced to anything, never touching the clock) and a
// misbehaving server of our own in one, our SNTP client (run by the pinned
// node) in the other. The clock setter is injected and only recorded: the
// host's clock is never changed (time namespaces do not cover CLOCK_REALTIME).
// Only 10.201.x.y addresses inside those namespaces.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { NODE, canRun, createLab, ip, type Lab, type Proc } from './net-harness.ts';

const CHRONY = '10.201.1.1';
const AHEAD = '10.201.1.11';
const KOD = '10.201.1.12';
const WRONG_ORIGIN = '10.201.1.13';
const GARBAGE = '10.201.1.14';
const NOBODY = '10.201.1.99';
const CHRONY_STRATUM = 8;

function chronyMissing(): string | undefined {
  try { execFileSync('chronyd', ['-v'], { stdio: 'ignore' }); return undefined; } catch { return 'chronyd missing (apt-get install chrony)'; }
}

const skip = canRun() ?? chronyMissing();
let lab: Lab | undefined;
let chrony: Proc;
let faulty: Proc;

async function bound(address: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (execFileSync('ip', ['netns', 'exec', lab!.srv, 'ss', '-Huln', `src ${address}:123`], { encoding: 'utf8' }).trim()) return;
    await sleep(100);
  }
  throw new Error(`nothing bound to ${address}:123`);
}

/** Runs the client helper in the client namespace; its JSON lines up to "done". */
async function client(spec: object): Promise<Record<string, unknown>[]> {
  const p = lab!.spawnIn(lab!.cli, [NODE, join(import.meta.dirname, 'net-sntp-client.ts'), JSON.stringify(spec)]);
  await p.waitFor((l) => l.msg === 'done', 20000, 'the SNTP client');
  await p.stop();
  return p.lines as Record<string, unknown>[];
}

const resultFor = (lines: Record<string, unknown>[], server: string): Record<string, unknown> => {
  const r = lines.find((l) => l.msg === 'result' && l.server === server);
  assert.ok(r, `no result for ${server}: ${JSON.stringify(lines)}`);
  return r;
};

before(async () => {
  if (skip) return;
  lab = createLab('n');
  lab.pair('k3a', 'k3b', '10.201.1');
  for (const a of [AHEAD, KOD, WRONG_ORIGIN, GARBAGE]) ip('-n', lab.srv, 'addr', 'add', `${a}/24`, 'dev', 'k3a');
  ip('-n', lab.cli, 'addr', 'add', '10.201.1.2/24', 'dev', 'k3b');
  ip('-n', lab.cli, 'link', 'set', 'k3b', 'up');
  const conf = join(lab.dir, 'chrony.conf');
  // No server lines: chrony serves its own clock (local stratum) and contacts nobody; -x leaves the clock alone.
  writeFileSync(conf, [
    `local stratum ${CHRONY_STRATUM}`, 'allow 10.201.0.0/16', `bindaddress ${CHRONY}`, 'port 123',
    'cmdport 0', 'bindcmdaddress /', 'user root',
    `pidfile ${join(lab.dir, 'chronyd.pid')}`, `driftfile ${join(lab.dir, 'chrony.drift')}`, '',
  ].join('\n'));
  chrony = lab.spawnIn(lab.srv, ['chronyd', '-d', '-x', '-f', conf]);
  faulty = lab.spawnIn(lab.srv, [NODE, join(import.meta.dirname, 'net-sntp-server.ts'), JSON.stringify([
    { address: AHEAD, fault: 'ahead' }, { address: KOD, fault: 'kod' },
    { address: WRONG_ORIGIN, fault: 'wrong-origin' }, { address: GARBAGE, fault: 'garbage' },
  ])]);
  await faulty.waitFor((l) => l.msg === 'ready', 10000, 'the test NTP server');
  await bound(CHRONY);
});

after(async () => {
  if (!lab) return;
  await chrony?.stop();
  await faulty?.stop();
  lab.cleanup();
});

test('chrony: the offset to a real NTP server on the same clock is within 1 s; stratum and leap are sane', { skip }, async () => {
  const r = resultFor(await client({ mode: 'query', servers: [CHRONY], timeoutMs: 3000 }), CHRONY);
  assert.equal(r.ok, true, String(r.reason));
  assert.ok(Math.abs(Number(r.offsetMs)) < 1000, `offset ${r.offsetMs} ms`);
  assert.ok(Number(r.delayMs) >= 0, `delay ${r.delayMs} ms`);
  assert.equal(r.stratum, CHRONY_STRATUM);
  assert.equal(r.leap, 0);
});

test('chrony: the owner slews a small offset and never steps', { skip }, async () => {
  const lines = await client({ mode: 'owner', servers: [CHRONY], timeoutMs: 3000 });
  assert.equal(lines.filter((l) => l.msg === 'setClock').length, 0, JSON.stringify(lines));
  const slew = lines.filter((l) => l.msg === 'slewClock');
  assert.equal(slew.length, 1, JSON.stringify(lines));
  assert.ok(Math.abs(Number(slew[0]!.deltaMs)) < 500, `slew ${slew[0]!.deltaMs} ms`);
});

test('a server 3600 s ahead: the owner steps through the injected setter to ~3600 s ahead', { skip }, async () => {
  const lines = await client({ mode: 'owner', servers: [AHEAD], timeoutMs: 3000 });
  const set = lines.filter((l) => l.msg === 'setClock');
  assert.equal(set.length, 1, JSON.stringify(lines));
  assert.equal(lines.filter((l) => l.msg === 'slewClock').length, 0);
  const ahead = Number(set[0]!.epochMs) - Number(set[0]!.hostNow);
  assert.ok(Math.abs(ahead - 3600_000) < 1000, `stepped ${ahead} ms ahead`);
  // The host's own clock was not moved.
  assert.ok(Math.abs(Date.now() - Number(set[0]!.hostNow)) < 60_000);
});

test('kiss-o\'-death, a wrong originate timestamp and garbage are rejected with a reason; nobody times out', { skip }, async () => {
  const lines = await client({ mode: 'query', servers: [KOD, WRONG_ORIGIN, GARBAGE, NOBODY], timeoutMs: 1500 });
  const reason = (server: string): string => {
    const r = resultFor(lines, server);
    assert.equal(r.ok, false, `${server} accepted: ${JSON.stringify(r)}`);
    return String(r.reason);
  };
  assert.match(reason(KOD), /kiss-o'-death "RATE"/);
  assert.match(reason(WRONG_ORIGIN), /originate timestamp does not match/);
  assert.match(reason(GARBAGE), /rejected: 17 bytes/);
  assert.match(reason(NOBODY), /^no usable answer in 1500 ms$/);
  // Each faulty server did get the request (the rejection is the client's, not a lost packet).
  for (const a of [KOD, WRONG_ORIGIN, GARBAGE]) {
    await faulty.waitFor((l) => l.msg === 'request' && l.address === a && l.from === '10.201.1.2', 5000, `a request to ${a}`);
  }
});

test('the owner skips a rejected server, says why, and takes the next one', { skip }, async () => {
  const lines = await client({ mode: 'owner', servers: [KOD, NOBODY, CHRONY], timeoutMs: 1500 });
  const warned = lines.filter((l) => l.msg === 'sntp: no usable answer');
  assert.deepEqual(warned.map((l) => l.server), [KOD, NOBODY]);
  assert.match(String(warned[0]!.reason), /kiss-o'-death "RATE"/);
  assert.match(String(warned[1]!.reason), /no usable answer in 1500 ms/);
  const inStep = lines.find((l) => l.msg === 'sntp: clock in step');
  assert.equal(inStep?.server, CHRONY);
  assert.equal(lines.filter((l) => l.msg === 'setClock').length, 0);
});
