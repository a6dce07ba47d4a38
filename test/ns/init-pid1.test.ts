// PID 1 behaviour in a PID + mount namespace (root). Asserts on the console
// (PID 1's stdout in container mode), init.log in the state dir and /proc.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { children, hostProcs, INIT, InitUnderTest, NODE, nsPath, REPO } from './init-harness.ts';

const running: InitUnderTest[] = [];
const start = (o?: ConstructorParameters<typeof InitUnderTest>[0]) => {
  const i = new InitUnderTest(o);
  running.push(i);
  return i;
};
after(async () => { for (const i of running) await i.kill(); });

test('boots to ready with the stand-in k3s, and SIGTERM ends in a clean shutdown and exit', async () => {
  const init = start();
  const ready = await init.waitFor(/k3os-init: ready in (\d+) ms \(mode=(\w+) k3s=(\d+)\)/);
  assert.equal(ready[2], 'disk', 'K3OS_STATE_DIR means persistent state');
  const k3s = children(init.initPid()).find((p) => p.pid !== init.initPid());
  assert.ok(k3s, 'k3s runs as a child of PID 1');
  await init.waitFor(/k3s stand-in/, 10_000).catch(() => undefined);
  process.kill(init.initPid(), 'SIGTERM');
  await init.waitFor(/k3os-init: reboot after clean shutdown in \d+ ms/);
  const exit = await init.exited;
  assert.deepEqual(exit, { code: 0, signal: null });
  const k3sLog = fs.readFileSync(path.join(init.stateDir, 'var/log/k3s.log'), 'utf8');
  assert.match(k3sLog, /k3s stand-in .* server pid=/);
  assert.match(k3sLog, /SIGTERM, exiting/);
  const recs = init.log();
  assert.ok(recs.some((r) => r.phase === 'root' && r.task === 'mountRoot' && r.msg === 'done'), 'tasks are logged with their phase');
});

test('1,000 orphans left by a supervised process are all reaped', async () => {
  const n = 1000;
  const fifoDir = fs.mkdtempSync(path.join(REPO, 'build', 'ns-fifo-'));
  after(() => fs.rmSync(fifoDir, { recursive: true, force: true }));
  const fifo = path.join(fifoDir, 'orphans.fifo');
  assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
  const init = start({ k3sEnv: { K3S_STANDIN_ORPHANS: String(n), K3S_STANDIN_ORPHAN_FIFO: nsPath(fifo) } });
  await init.waitFor(/ready in/);
  const pid1 = init.initPid();
  const orphansOfInit = () => hostProcs().filter((p) => p.ppid === pid1 && p.comm === 'cat');
  const deadline = Date.now() + 120_000;
  while (orphansOfInit().length < n) {
    assert.ok(Date.now() < deadline, `only ${orphansOfInit().length} orphans re-parented to PID 1`);
    await sleep(100);
  }
  // Every cat is blocked opening the fifo; a writer lets them all read EOF and exit at once.
  while (orphansOfInit().some((p) => p.state !== 'Z')) {
    const fd = fs.openSync(fifo, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK);
    await sleep(50);
    fs.closeSync(fd);
    await sleep(50);
    assert.ok(Date.now() < deadline, 'orphans did not exit');
  }
  const reapDeadline = Date.now() + 10_000;
  while (children(pid1).some((p) => p.state === 'Z')) {
    assert.ok(Date.now() < reapDeadline, `${children(pid1).filter((p) => p.state === 'Z').length} zombies left under PID 1`);
    await sleep(50);
  }
  process.kill(pid1, 'SIGTERM');
  const line = await init.waitFor(/k3os-init: \[?.*?(\d+) orphans reaped since boot/);
  assert.ok(Number(line[1]) >= n, `${line[1]} orphans reaped`);
  assert.equal((await init.exited).code, 0);
});

test('a crashing k3s is restarted with backoff; each exit status is delivered exactly once', async () => {
  const init = start({ k3sEnv: { K3S_STANDIN_EXIT_AFTER_MS: '20', K3S_STANDIN_EXIT_CODE: '3' } });
  const recs = await init.waitForLog((r) => r.filter((x) => x.service === 'k3s' && /restarting in/.test(String(x.msg))).length >= 4, 60_000);
  const k3s = recs.filter((r) => r.service === 'k3s');
  const delays = k3s.filter((r) => /restarting in/.test(String(r.msg))).map((r) => r.delayMs as number);
  for (let i = 1; i < delays.length; i++) assert.ok(delays[i]! > delays[i - 1]!, `delays grow: ${delays.join(', ')}`);
  const started = k3s.filter((r) => r.msg === 'k3s started').map((r) => r.pid as number);
  const exits = k3s.filter((r) => /^k3s exited/.test(String(r.msg)));
  for (const e of exits) assert.equal(e.code, 3, 'the stand-in exit code reaches the supervisor');
  for (const pid of started.slice(0, exits.length)) {
    assert.equal(exits.filter((e) => e.pid === pid).length, 1, `pid ${pid} exit delivered once`);
  }
  assert.ok((exits[0]?.lastLines as string[]).some((l) => /exiting with 3/.test(l)), 'the exit record carries the last output lines');
  process.kill(init.initPid(), 'SIGTERM');
  assert.equal((await init.exited).code, 0);
});

test('an exception in a boot stage ends in the recovery shell, not an exit', async () => {
  const init = start({ cmdline: 'k3os_test.fail_stage=network' });
  await init.waitFor(/boot failed: boot phase 5\/6 network: forced failure/);
  await init.waitFor(/recovery: a root shell/);
  await sleep(300);
  assert.equal(init.proc.exitCode, null, 'PID 1 is still running');
  init.proc.stdin!.write('echo recovery-shell-$((6*7))\n');
  await init.waitFor(/recovery-shell-42/, 10_000);
  assert.equal(init.stdout.includes('ready in'), false);
  process.kill(init.initPid(), 'SIGTERM');
  await init.waitFor(/reboot after clean shutdown/);
  assert.equal((await init.exited).code, 0);
});

test('outside PID 1 it refuses, and says why', () => {
  const r = spawnSync(NODE, [INIT], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /refusing to run as pid \d+: .*only runs as PID 1/);
});
