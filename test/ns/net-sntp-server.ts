// Run inside the server namespace by net-sntp.test.ts: a misbehaving NTP
// server, one UDP socket per address, each with its own fault. Its own
// timestamp encoder, so a bug in the client's cannot cancel out here.
// argv: JSON [{ address, fault }]. Prints {"msg":"ready"} once all are bound.
import { createSocket } from 'node:dgram';

type Fault = 'ahead' | 'kod' | 'wrong-origin' | 'garbage';
const AHEAD_MS = 3600_000;

function ntpStamp(ms: number, out: Buffer, off: number): void {
  const s = Math.floor(ms / 1000);
  out.writeUInt32BE((s + 2208988800) >>> 0, off);
  out.writeUInt32BE(Math.floor(((ms - s * 1000) / 1000) * 2 ** 32) >>> 0, off + 4);
}

function answer(req: Buffer, fault: Fault): Buffer {
  if (fault === 'garbage') return Buffer.from('not an NTP packet');
  const now = Date.now() + (fault === 'ahead' ? AHEAD_MS : 0);
  const r = Buffer.alloc(48);
  r[0] = (0 << 6) | (4 << 3) | 4;
  r[1] = fault === 'kod' ? 0 : 2;
  r.write(fault === 'kod' ? 'RATE' : 'TEST', 12, 'latin1');
  ntpStamp(now - 1000, r, 16);
  req.copy(r, 24, 40, 48);
  if (fault === 'wrong-origin') r[31] = r[31]! ^ 0xff;
  ntpStamp(now, r, 32);
  ntpStamp(now, r, 40);
  return r;
}

const specs = JSON.parse(process.argv[2]!) as { address: string; fault: Fault }[];
await Promise.all(specs.map(({ address, fault }) => new Promise<void>((resolve, reject) => {
  const sock = createSocket('udp4');
  sock.on('error', reject);
  sock.on('message', (msg, rinfo) => {
    process.stdout.write(`${JSON.stringify({ msg: 'request', address, fault, from: rinfo.address })}\n`);
    sock.send(answer(msg, fault), rinfo.port, rinfo.address);
  });
  sock.bind(123, address, () => resolve());
})));
process.stdout.write(`${JSON.stringify({ msg: 'ready' })}\n`);
