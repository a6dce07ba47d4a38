import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRecoveryClient } from '../../src/cli/recovery-client.ts';
import { ControlError } from '../../src/api/transport.ts';
import { createRecoveryActions, createRecoveryLog, disabledName, isK3osInit, shellAuthFromShadow } from '../../src/cli/recovery-effects.ts';
import { createTtyIO } from '../../src/cli/recovery-tty.ts';

// The published test vector of the SHA-512 crypt specification.
const VECTOR = '$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1';

test('root shell auth from rancher\'s shadow field', () => {
  const auth = shellAuthFromShadow(`root:!:1::::::\nrancher:${VECTOR}:1:0:99999:7:::\n`);
  assert.equal(auth.kind, 'password');
  if (auth.kind !== 'password') return;
  assert.equal(auth.verify('Hello world!'), true);
  assert.equal(auth.verify('Hello world'), false);
  assert.equal(auth.verify(''), false);
  for (const field of ['', '*', '!', '!$6$x$y']) assert.equal(shellAuthFromShadow(`rancher:${field}:1::::::\n`).kind, 'none', field);
  assert.equal(shellAuthFromShadow(undefined).kind, 'none');
  const md5 = shellAuthFromShadow('rancher:$1$abc$def:1::::::\n');
  assert.equal(md5.kind, 'unavailable');
});

test('config.d files are listed sorted and moved aside (kept, renamed with a timestamp)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'recovery-'));
  try {
    const cfg = join(dir, 'config.d');
    mkdirSync(cfg);
    mkdirSync(join(cfg, 'subdir'));
    writeFileSync(join(cfg, '90-k3osconfig.yaml'), 'k3os: {}\n');
    writeFileSync(join(cfg, '10-a.yaml'), 'x: 1\n');
    const now = new Date(Date.UTC(2024, 4, 6, 7, 8, 9, 10));
    const a = createRecoveryActions({ configDir: cfg, disabledDir: join(dir, 'config.d.disabled'), now: () => now });
    assert.deepEqual(await a.listConfigFiles(), ['10-a.yaml', '90-k3osconfig.yaml']);
    const to = await a.disableConfigFile('90-k3osconfig.yaml');
    assert.equal(to, join(dir, 'config.d.disabled', '90-k3osconfig.yaml.2024-05-06T07-08-09-010Z'));
    assert.equal(readFileSync(to, 'utf8'), 'k3os: {}\n');
    assert.deepEqual(await a.listConfigFiles(), ['10-a.yaml']);
    await assert.rejects(a.disableConfigFile('../etc'), /not a file name/);
    await assert.rejects(a.disableConfigFile('missing.yaml'), /ENOENT/);
    const none = createRecoveryActions({ configDir: join(dir, 'absent') });
    assert.deepEqual(await none.listConfigFiles(), []);
    assert.equal(disabledName('x', now), 'x.2024-05-06T07-08-09-010Z');
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test('recovery log: one JSON line per event in the file and a kernel-log line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'recovery-log-'));
  try {
    const kmsg = join(dir, 'kmsg');
    const log = createRecoveryLog('ttyS0', { logPath: join(dir, 'log', 'recovery.log'), kmsgPath: kmsg, now: () => new Date(0) });
    log('choice', { key: '7', entry: 'reboot' });
    log('eof');
    const lines = readFileSync(join(dir, 'log', 'recovery.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as unknown);
    assert.deepEqual(lines, [
      { time: '1970-01-01T00:00:00.000Z', console: 'ttyS0', event: 'choice', key: '7', entry: 'reboot' },
      { time: '1970-01-01T00:00:00.000Z', console: 'ttyS0', event: 'eof' },
    ]);
    assert.equal(readFileSync(kmsg, 'utf8'), '<5>k3os-recovery[ttyS0]: eof\n', 'kmsg takes one record per write');
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test('tty IO reads lines ending in \\n, \\r\\n or \\r, then null at end of input', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'recovery-io-'));
  try {
    writeFileSync(join(dir, 'in'), '1\r\n\r7\nlast');
    const inFd = openSync(join(dir, 'in'), 'r');
    const outFd = openSync(join(dir, 'out'), 'w');
    const io = createTtyIO({ inFd, outFd });
    const got: (string | null)[] = [];
    for (let i = 0; i < 5; i++) got.push(await io.readLine(`p${i}> `));
    closeSync(inFd); closeSync(outFd);
    assert.deepEqual(got, ['1', '', '7', 'last', null]);
    assert.equal(readFileSync(join(dir, 'out'), 'utf8'), 'p0> p1> p2> p3> p4> ');
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test('recovery client against a server on a unix socket: raw JSON, 404, unreachable', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'recovery-api-'));
  const sock = join(dir, 'init.sock');
  const seen: string[] = [];
  const server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    if (req.url === '/v1/status') { res.setHeader('content-type', 'application/json'); res.end('{"mode":"disk"}'); return; }
    if (req.url === '/v1/logs?lines=200') { res.setHeader('content-type', 'application/json'); res.end('{"lines":["a"]}'); return; }
    if (req.url === '/v1/reboot') { res.setHeader('content-type', 'application/json'); res.end('{"accepted":true}'); return; }
    res.statusCode = 404; res.setHeader('content-type', 'application/json'); res.end('{"error":"no route"}');
  });
  await new Promise<void>((ok) => server.listen(sock, ok));
  try {
    const c = createRecoveryClient({ socketPath: sock });
    assert.deepEqual(await c.status(), { mode: 'disk' });
    assert.deepEqual(await c.logs(200), { lines: ['a'] });
    assert.deepEqual(await c.power('reboot'), { accepted: true });
    const e = await c.restartService('k3s').catch((x: unknown) => x);
    assert.ok(e instanceof ControlError);
    assert.equal(e.status, 404);
    assert.equal(e.message, 'POST /v1/services/k3s/restart: HTTP 404: no route');
    assert.deepEqual(seen, ['GET /v1/status', 'GET /v1/logs?lines=200', 'POST /v1/reboot', 'POST /v1/services/k3s/restart']);
  } finally {
    await new Promise((ok) => server.close(ok));
  }
  const gone = await createRecoveryClient({ socketPath: sock }).status().catch((x: unknown) => x);
  assert.ok(gone instanceof ControlError);
  assert.equal(gone.status, 0);
  assert.equal(gone.message, `GET /v1/status on ${sock}: ENOENT`);
  assert.equal(existsSync(sock), false);
  assert.deepEqual(readdirSync(dir), []);
  rmSync(dir, { recursive: true });
});

test('the signal fallback is only for k3os init as PID 1', () => {
  assert.equal(isK3osInit('/usr/bin/node\0--disable-sigusr1\0--max-old-space-size=96\0/usr/lib/k3os/init-loader.cjs\0'), true);
  assert.equal(isK3osInit('node\0dist/init.cjs\0'), true);
  assert.equal(isK3osInit('node\0/srv/init.mjs\0'), false);
  assert.equal(isK3osInit('/sbin/init\0splash\0'), false);
  assert.equal(isK3osInit('/lib/systemd/systemd\0'), false);
  assert.equal(isK3osInit(''), false);
});
