// Link up to address configured under dnsmasq, in network namespaces: our
// DHCP client against busybox `udhcpc -q -f -n` on the same veth in the same
// run. Prints per-run times and the ratio; asserts nothing. Needs root.
// Ours is timed inside the process (PID 1 is already running when a link
// comes up); udhcpc from spawn to its script having configured the address.
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NODE, canRun, createLab, dnsmasqArgs, ip } from '../test/ns/net-harness.ts';

const RUNS = Number(process.env.RUNS ?? 5);
const why = canRun();
if (why) {
  console.log(`dhcp bench skipped: ${why}`);
  process.exit(0);
}
const lab = createLab('b');
try {
  lab.pair('k3a', 'k3b', '10.200.9');
  ip('-n', lab.cli, 'link', 'set', 'k3b', 'up');
  const dnsmasq = lab.spawnIn(lab.srv, dnsmasqArgs('k3a', '10.200.9', lab.dir, ['--no-ping', '--dhcp-option=option:router,10.200.9.1']));
  await new Promise((r) => setTimeout(r, 500));
  const script = join(lab.dir, 'udhcpc.sh');
  const done = join(lab.dir, 'udhcpc.done');
  writeFileSync(script, `#!/bin/sh
case "$1" in bound|renew)
  ip addr add "$ip/$subnet" dev "$interface"
  [ -n "$router" ] && ip route add default via "\${router%% *}" dev "$interface"
  date +%s%N > ${done};;
esac
`);
  chmodSync(script, 0o755);
  const reset = (): void => {
    ip('-n', lab.cli, 'addr', 'flush', 'dev', 'k3b');
    rmSync(join(lab.dir, 'leases'), { recursive: true, force: true });
    rmSync(done, { force: true });
  };
  const ours: number[] = [];
  const theirs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    reset();
    const out = execFileSync('ip', ['netns', 'exec', lab.cli, NODE, join(import.meta.dirname, '../test/ns/net-bench-client.ts'), 'k3b', join(lab.dir, 'leases')], { encoding: 'utf8', timeout: 30000 });
    ours.push(JSON.parse(out.trim().split('\n').pop()!).ms);
    reset();
    const wall0 = BigInt(Date.now()) * 1_000_000n;
    await new Promise<void>((resolve, reject) => {
      const c = spawn('ip', ['netns', 'exec', lab.cli, 'busybox', 'udhcpc', '-q', '-f', '-n', '-i', 'k3b', '-s', script], { stdio: 'ignore' });
      c.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`udhcpc exited ${code}`))));
    });
    if (!existsSync(done)) throw new Error('udhcpc did not configure an address');
    theirs.push(Number(BigInt(readFileSync(done, 'utf8').trim()) - wall0) / 1e6);
  }
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  console.log(`dhcp: link up -> address configured, ${RUNS} runs each`);
  console.log(`  ours     ms: ${ours.map((x) => x.toFixed(1)).join(' ')}  median ${median(ours).toFixed(1)}`);
  console.log(`  udhcpc   ms: ${theirs.map((x) => x.toFixed(1)).join(' ')}  median ${median(theirs).toFixed(1)}`);
  console.log(`  ratio ours/udhcpc (median): ${(median(ours) / median(theirs)).toFixed(2)}`);
  await dnsmasq.stop();
} finally {
  lab.cleanup();
}
