// Run inside the client namespace by net-sntp.test.ts: our SNTP code against
// the servers there, one JSON line per result on stdout.
// argv: JSON { mode: 'query', servers, timeoutMs } prints one result per server;
//       JSON { mode: 'owner', servers, timeoutMs } runs SntpOwner's first round
//       with a recording clock setter (never the host's clock) and stops it.
import { sntpQuery, SntpOwner } from '../../src/init/network/sntp.ts';
import { realDelay } from '../../src/lib/time.ts';

const spec = JSON.parse(process.argv[2]!) as { mode: 'query' | 'owner'; servers: string[]; timeoutMs: number };
const emit = (o: object): void => { process.stdout.write(`${JSON.stringify(o)}\n`); };

if (spec.mode === 'query') {
  await Promise.all(spec.servers.map(async (server) => {
    const r = await sntpQuery(server, spec.timeoutMs);
    emit({ msg: 'result', server, ...r });
  }));
} else {
  const owner = new SntpOwner({
    servers: () => spec.servers,
    setClock: (epochMs) => emit({ msg: 'setClock', epochMs, hostNow: Date.now() }),
    slewClock: (deltaMs) => emit({ msg: 'slewClock', deltaMs }),
    log: {
      debug: (o, msg) => emit({ level: 'debug', msg, ...o }),
      info: (o, msg) => emit({ level: 'info', msg, ...o }),
      warn: (o, msg) => emit({ level: 'warn', msg, ...o }),
    },
    delay: realDelay,
    timeoutMs: spec.timeoutMs,
  });
  await owner.start();
  await owner.stop();
}
emit({ msg: 'done' });
