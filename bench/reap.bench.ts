// Reaping time for 10,000 orphans (issue 3 target: under 1 s). The process
// becomes a child subreaper and starts PID 1's reaper; a shell leaves N
// orphans blocked opening a fifo; the clock runs from opening the fifo's
// writer (all orphans exit at once) until the reaper has delivered all N.
// Most of that is the kernel making the orphans exit: their exit_mmap calls
// take turns on the shared libraries' i_mmap lock, and under load some runs
// take seconds with the orphans queued on it. To see the split, trace when
// each becomes a zombie: perf record -a -e signal:signal_generate --filter
// 'sig == 17'.
// Prints; never asserts. Run as root: node bench/reap.bench.ts [N]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createLinuxSys } from '../src/sys/index.ts';
import { orphanScript } from '../test/fixtures/k3s-standin/behaviour.ts';

const n = Number(process.argv[2] ?? 10_000);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reap-bench-'));
const fifo = path.join(dir, 'fifo');
// mkfifo before the reaper starts: after it, this process must not use child_process.
spawnSync('mkfifo', [fifo]);

const sys = createLinuxSys();
sys.setChildSubreaper(true);
sys.reaper.start();
let reaped = 0;
let done: (() => void) | undefined;
sys.reaper.onOrphan(() => {
  reaped++;
  if (reaped >= n) done?.();
});

const blocked = () => {
  let count = 0;
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(f[1]) === process.pid && stat.includes('(cat)')) count++;
    } catch { /* exited */ }
  }
  return count;
};

const t0 = performance.now();
const maker = sys.spawn({ argv: ['/bin/sh', '-c', orphanScript(n, fifo)], env: { PATH: '/usr/bin:/bin' }, stdout: 'null' });
await new Promise<void>((resolve) => sys.reaper.onExit(maker, () => resolve()));
while (blocked() < n) await sleep(100);
const made = performance.now() - t0;

// Orphan exits do not keep the loop alive by themselves (PID 1 has its keep-alive).
const keepAlive = setInterval(() => {}, 1_000);
const all = new Promise<void>((resolve) => { done = resolve; });
const start = performance.now();
const fd = fs.openSync(fifo, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK);
fs.closeSync(fd);
await all;
const ms = performance.now() - start;
clearInterval(keepAlive);
console.log(`reap: ${n} orphans reaped in ${ms.toFixed(0)} ms (target < 1000 ms, ratio ${(ms / 1000).toFixed(2)} of target); making them took ${(made / 1000).toFixed(1)} s`);
sys.reaper.stop();
fs.rmSync(dir, { recursive: true, force: true });
process.exit(0);
