// One DHCP acquisition for bench/dhcp.bench.ts, inside a namespace: prints
// the milliseconds from client start (link already up, carrier on) to the
// address and default route being configured.
import { monotonicClock } from '../../src/lib/time.ts';
import { DhcpClient } from '../../src/init/network/dhcp-client.ts';
import { LeaseStore } from '../../src/init/network/lease-store.ts';
import { createNetSys } from '../../src/sys/net.ts';

const [ifname, leaseDir] = process.argv.slice(2);
const net = createNetSys();
const link = net.links().find((l) => l.name === ifname)!;
const quiet = { debug() {}, info() {}, warn(o: object) { process.stderr.write(`${JSON.stringify(o)}\n`); } };
const t0 = performance.now();
const client = new DhcpClient({
  net, link: { index: link.index, name: link.name, mac: link.mac! }, store: new LeaseStore(leaseDir!), log: quiet,
  clock: monotonicClock, machine: { retransmitBaseMs: 1000 },
  onEvent: (ev) => {
    if (ev.type !== 'bound') return;
    process.stdout.write(`${JSON.stringify({ ms: performance.now() - t0, address: ev.lease.address })}\n`);
    void client.stop().then(() => process.exit(0));
  },
});
await client.start();
