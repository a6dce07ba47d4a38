import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import pino from 'pino';
import { RotatingFile } from '../../src/init/supervisor/output.ts';
import { LineTail, planRotation } from '../../src/init/supervisor/rotation.ts';
import { Supervisor } from '../../src/init/supervisor/supervisor.ts';
import type { ServiceDecl } from '../../src/init/supervisor/types.ts';
import { FakeSys } from '../fixtures/fake-sys.ts';
import { ManualTime, settle } from '../fixtures/test-clock.ts';

const quiet = pino({ level: 'silent' });
const backoff = { baseMs: 100, capMs: 1_000, jitterRatio: 0, stableMs: 5_000 };

function setup() {
  const sys = new FakeSys();
  const time = new ManualTime();
  const sup = new Supervisor({ sys, log: quiet, clock: time, delay: time.delay, random: () => 0, backoff, openOutput: () => null });
  return { sys, time, sup };
}

const decl = (over: Partial<ServiceDecl> = {}): ServiceDecl => ({
  id: 'k3s', argv: ['/usr/bin/k3s', 'server'], env: { PATH: '/bin' }, dependsOn: [], restart: 'forever', stopTimeoutMs: 1_000, ...over,
});

test('a crashing service is restarted with growing, capped delays', async () => {
  const { sys, time, sup } = setup();
  const runner = await sup.add(decl());
  await settle();
  const delays: number[] = [];
  for (let i = 0; i < 6; i++) {
    const pid = runner.pid!;
    sys.exit(pid, { code: 3 });
    await settle(); await settle();
    delays.push(time.sleeps.at(-1)!);
    time.advance(time.sleeps.at(-1)!);
    await settle();
  }
  assert.deepEqual(delays, [100, 200, 400, 800, 1_000, 1_000]);
  assert.equal(sys.ops('spawn').length, 7);
  assert.equal(runner.restarts, 6);
  assert.equal(runner.status.state, 'running');
  await sup.stop();
});

test('a run longer than stableMs resets the backoff', async () => {
  const { sys, time, sup } = setup();
  const runner = await sup.add(decl());
  await settle();
  for (let i = 0; i < 3; i++) {
    sys.exit(runner.pid!, { code: 1 });
    await settle(); await settle();
    time.advance(time.sleeps.at(-1)!);
    await settle();
  }
  assert.equal(time.sleeps.at(-1), 400);
  time.advance(6_000);
  sys.exit(runner.pid!, { code: 1 });
  await settle(); await settle();
  assert.equal(time.sleeps.at(-1), 100);
  await sup.stop();
});

test('once and untilSuccess policies', async () => {
  const { sys, sup } = setup();
  const once = await sup.add(decl({ id: 'once', restart: 'once' }));
  const until = await sup.add(decl({ id: 'until', restart: 'untilSuccess' }));
  await settle();
  sys.exit(once.pid!, { code: 1 });
  sys.exit(until.pid!, { code: 0 });
  await settle(); await settle();
  assert.equal(once.status.state, 'failed');
  assert.equal(until.status.state, 'finished');
  assert.equal(sys.ops('spawn').length, 2);
});

test('stop is SIGTERM, then SIGKILL after stopTimeoutMs when ignored', async () => {
  const { sys, time, sup } = setup();
  const runner = await sup.add(decl());
  await settle();
  const pid = runner.pid!;
  sys.onKill = (p, sig) => { if (sig === 'SIGKILL') sys.exit(p, { signal: 'SIGKILL' }); };
  const stopped = sup.stopService('k3s');
  await settle();
  assert.deepEqual(sys.ops('kill').map((c) => c.op === 'kill' && c.signal), ['SIGTERM']);
  time.advance(1_000);
  await stopped;
  assert.deepEqual(sys.ops('kill').map((c) => c.op === 'kill' && [c.pid, c.signal]), [[pid, 'SIGTERM'], [pid, 'SIGKILL']]);
  assert.equal(runner.status.state, 'stopped');
  assert.equal(sys.ops('spawn').length, 1, 'no restart after stop');
  assert.ok(runner.status.history().map((e) => e.state).includes('stopping'));
});

test('a service waits for its dependencies to have started', async () => {
  const { sys, sup } = setup();
  const agent = await sup.add(decl({ id: 'agent', dependsOn: ['k3s'] }));
  await settle();
  assert.equal(agent.pid, null);
  assert.equal(sys.ops('spawn').length, 0);
  await sup.add(decl());
  await settle(); await settle();
  assert.deepEqual(sys.ops('spawn').map((c) => c.op === 'spawn' && c.spec.argv[0]), ['/usr/bin/k3s', '/usr/bin/k3s']);
  assert.notEqual(agent.pid, null);
  await sup.stop();
});

test('a spawn error (ENOENT) is retried with backoff, not thrown', async () => {
  const { sys, time, sup } = setup();
  sys.failWith = (c) => (c.op === 'spawn' ? Object.assign(new Error('ENOENT'), { code: 'ENOENT' }) : undefined);
  const runner = await sup.add(decl());
  await settle();
  assert.equal(runner.status.state, 'backoff');
  assert.equal(time.sleeps.length, 1);
  await sup.stop();
});

test('state history is bounded', async () => {
  const { StateHistory } = await import('../../src/init/supervisor/state.ts');
  const h = new StateHistory(3);
  for (let i = 0; i < 10; i++) h.set('running', `n${i}`);
  assert.deepEqual(h.history().map((e) => e.message), ['n7', 'n8', 'n9']);
});

test('rotation renames oldest first; the file rotates past maxBytes', () => {
  assert.deepEqual(planRotation('/var/log/k3s.log', 3), [
    { from: '/var/log/k3s.log.2', to: '/var/log/k3s.log.3' },
    { from: '/var/log/k3s.log.1', to: '/var/log/k3s.log.2' },
    { from: '/var/log/k3s.log', to: '/var/log/k3s.log.1' },
  ]);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'init-rot-'));
  const file = path.join(dir, 'k3s.log');
  const f = new RotatingFile(file, 100, 2);
  for (let i = 0; i < 10; i++) f.write(Buffer.from(`${String(i).repeat(39)}\n`));
  f.close();
  assert.deepEqual(fs.readdirSync(dir).sort(), ['k3s.log', 'k3s.log.1', 'k3s.log.2']);
  assert.ok(fs.statSync(file).size <= 100);
  assert.equal(fs.readFileSync(file, 'utf8'), `${'8'.repeat(39)}\n${'9'.repeat(39)}\n`);
  assert.equal(fs.readFileSync(`${file}.2`, 'utf8'), `${'4'.repeat(39)}\n${'5'.repeat(39)}\n`);
  fs.rmSync(dir, { recursive: true });
});

test('the tail keeps the last lines across chunk boundaries', () => {
  const t = new LineTail(2);
  t.push('a\nb');
  t.push('c\nd\ne');
  assert.deepEqual(t.lines(), ['d', 'e']);
});

test('replace stops the running service and starts the new declaration in its place', async () => {
  const { sys, sup } = setup();
  const first = await sup.add(decl());
  await settle();
  const oldPid = first.pid!;
  const second = await sup.replace(decl({ argv: ['/usr/bin/k3s', 'server', '--node-label', 'a=b'] }));
  await settle();
  assert.deepEqual(sys.ops('kill').map((c) => c.op === 'kill' && [c.pid, c.signal]), [[oldPid, 'SIGTERM']]);
  const spawns = sys.ops('spawn');
  assert.equal(spawns.length, 2);
  assert.deepEqual(spawns[1]!.op === 'spawn' && spawns[1]!.spec.argv, ['/usr/bin/k3s', 'server', '--node-label', 'a=b']);
  assert.equal(sup.get('k3s'), second);
  assert.deepEqual(sup.list().map((r) => r.decl.id), ['k3s']);
  await sup.stop();
});

test('a condition holds the first start until it resolves; stop while waiting spawns nothing', async () => {
  const { sys, sup } = setup();
  let open = () => {};
  const gate = new Promise<void>((r) => { open = r; });
  const runner = await sup.add(decl({ id: 'agent', condition: { describe: 'a kubeconfig', wait: () => gate } }));
  await settle();
  assert.equal(sys.ops('spawn').length, 0);
  assert.equal(runner.status.state, 'waiting');
  open();
  await settle();
  assert.equal(sys.ops('spawn').length, 1);
  await sup.stop();

  const s2 = setup();
  const waiting = await s2.sup.add(decl({ id: 'agent', condition: { describe: 'never', wait: (signal) => new Promise((r) => signal.addEventListener('abort', () => r())) } }));
  await settle();
  await s2.sup.stop();
  assert.equal(s2.sys.ops('spawn').length, 0);
  assert.equal(waiting.status.state, 'stopped');
});
