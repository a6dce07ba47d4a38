// Run inside a network namespace by net-dhcp.test.ts: starts the network
// manager on the real kernel and prints one JSON line per event on stdout.
// argv: <config JSON> <root dir>. SIGTERM stops it (releasing leases).
import { createNetSys } from '../../src/sys/net.ts';
import { startNetwork } from '../../src/init/network/manager.ts';

const [configJson, root] = process.argv.slice(2);
const emit = (o: object): void => { process.stdout.write(`${JSON.stringify(o)}\n`); };
const log = {
  debug: (o: object, msg?: string) => emit({ level: 'debug', msg, ...o }),
  info: (o: object, msg?: string) => emit({ level: 'info', msg, ...o }),
  warn: (o: object, msg?: string) => emit({ level: 'warn', msg, ...o, err: String((o as { err?: unknown }).err ?? '') }),
};
const manager = await startNetwork({
  net: createNetSys(), config: JSON.parse(configJson!), log, root: root!, autoKinds: ['veth'],
  dhcp: { retransmitBaseMs: 1000, rebootTimeoutMs: 2000 },
  sethostname: (name) => emit({ msg: 'sethostname', name }),
});
void manager.online.then((r) => emit({ msg: 'online-result', ...r }));
process.on('SIGTERM', () => {
  void manager.stop().then(() => { emit({ msg: 'stopped' }); process.exit(0); });
});
