// PID 1's control API under load (container mode, --max-old-space-size=96 as
// in the image): its RSS and the GET /v1/status latency a watcher sees while 0,
// 100 and the cap's number of clients each send GET /v1/status back to back.
// Ratios are to the idle run, measured in this one run. Prints; asserts nothing. Needs root.
import { Agent, request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { LIMITS } from '../src/init/control/server.ts';
import { Watch } from '../test/ns/control-clients.ts';
import { InitUnderTest } from '../test/ns/init-harness.ts';

const SECONDS = Number(process.env.CONTROL_BENCH_SECONDS ?? 5);
const LEVELS = [0, 100, LIMITS.connections];

/** A client that asks for status over one kept-alive connection until told to stop. */
const busyClient = (socketPath: string, running: () => boolean) => (async () => {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  let answered = 0;
  while (running()) {
    const ok = await new Promise<boolean>((resolve) => {
      const req = request({ socketPath, path: '/v1/status', agent }, (res) => { res.resume(); res.on('end', () => resolve(res.statusCode === 200)); });
      req.on('error', () => resolve(false));
      req.end();
    });
    if (ok) answered++;
    else await sleep(10);
  }
  agent.destroy();
  return answered;
})();

const init = new InitUnderTest({ nodeArgs: ['--max-old-space-size=96'] });
try {
  await init.waitFor(/k3os-init: ready in/);
  const pid = init.initPid();
  await init.waitForLog((r) => r.some((x) => x.msg === 'control API listening'));
  const socketPath = `/proc/${pid}/root/run/k3os/init.sock`;
  await sleep(2_000);
  console.log(`control API under load: ${SECONDS} s per level, cap ${LIMITS.connections} connections`);
  let idle: { p99: number; rss: number } | undefined;
  for (const n of LEVELS) {
    let running = true;
    const clients = Array.from({ length: n }, () => busyClient(socketPath, () => running));
    const watch = new Watch(socketPath, pid, 20);
    await sleep(SECONDS * 1000);
    await watch.stop();
    running = false;
    const answered = (await Promise.all(clients)).reduce((a, b) => a + b, 0);
    const rss = Math.max(...watch.rssKb) / 1024;
    const p99 = watch.p(0.99);
    idle ??= { p99, rss };
    console.log(`  ${String(n).padStart(5)} clients: status p50 ${watch.p(0.5).toFixed(1)} ms, p99 ${p99.toFixed(1)} ms (x${(p99 / idle.p99).toFixed(1)} idle), `
      + `RSS max ${rss.toFixed(1)} MB (x${(rss / idle.rss).toFixed(2)} idle), ${watch.failures.length} probes failed, ${Math.round(answered / SECONDS)} client requests/s`);
  }
} finally {
  await init.kill();
}
