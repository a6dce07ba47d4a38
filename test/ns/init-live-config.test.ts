// PUT /v1/config and SIGHUP against PID 1 in PID + mount + UTS + network
// namespaces (root): hostname and a per-netns sysctl change for real, k3s is
// restarted with the new arguments, the desired config lands in config.d, and
// an invalid request changes nothing.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { request } from 'node:http';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createControlClient, type ControlClient } from '../../src/api/client.ts';
import { ControlError } from '../../src/api/transport.ts';
import { canonicalHash } from '../../src/lib/hash.ts';
import { InitUnderTest, REPO } from './init-harness.ts';

const ADDON = path.join(REPO, 'native/build/Release/k3os.node');
const skip = process.getuid?.() !== 0 ? 'needs root' : !fs.existsSync(ADDON) ? 'needs the addon (make addon)' : false;

const inNs = (pid: number, flag: string, argv: string[]): string =>
  execFileSync('nsenter', ['-t', String(pid), flag, ...argv], { encoding: 'utf8' }).trim();

/** The stand-in prints one line per start: "k3s stand-in ... server pid=N args=[...]". */
const k3sStarts = (stateDir: string): Array<{ pid: number; args: string[] }> => {
  const file = path.join(stateDir, 'var/log/k3s.log');
  const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  return [...text.matchAll(/k3s stand-in \S+ server pid=(\d+) args=(\[.*?\]) env=/g)].map((m) => ({ pid: Number(m[1]), args: JSON.parse(m[2]!) as string[] }));
};

/** PUT /v1/config as any client sends it; the whole answer (the agent's client keeps only the fields it reads). */
const put = (socketPath: string, body: unknown) => new Promise<{ status: number; json: any }>((resolve, reject) => {
  const text = JSON.stringify(body);
  const req = request({ socketPath, method: 'PUT', path: '/v1/config', headers: { 'content-type': 'application/json' } }, (res) => {
    let out = '';
    res.on('data', (c) => { out += c; });
    res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(out) }));
  });
  req.on('error', reject);
  req.end(text);
});

describe('live config in PID 1', { skip }, () => {
  let init: InitUnderTest;
  let client: ControlClient;
  let pid1 = 0;
  before(async () => {
    init = new InitUnderTest({ namespaces: ['--uts', '--net'], env: { K3OS_CONTAINER_APPLY: '1' } });
    await init.waitFor(/k3os-init: ready in/);
    pid1 = init.initPid();
    await init.waitForLog((r) => r.some((x) => x.msg === 'control API listening'));
    client = createControlClient({ socketPath: `/proc/${pid1}/root/run/k3os/init.sock` });
    // The first k3s has printed its command line, so both starts can be compared.
    for (let i = 0; i < 200 && k3sStarts(init.stateDir).length < 1; i++) await sleep(50);
  });
  after(async () => { await init?.kill(); });

  it('PUT /v1/config applies hostname and a sysctl live and restarts k3s with the new arguments', async () => {
    const before = await client.status();
    assert.equal(inNs(pid1, '-n', ['cat', '/proc/sys/net/ipv4/ip_forward']), '0', 'a fresh network namespace forwards nothing');
    const desired = {
      hostname: 'ns-live-2',
      k3os: { sysctls: { 'net.ipv4.ip_forward': '1' }, labels: { zone: 'a' }, k3s_args: ['server', '--disable', 'traefik'] },
    };
    const answer = await put(`/proc/${pid1}/root/run/k3os/init.sock`, desired);
    assert.equal(answer.status, 200);
    const r = answer.json;
    assert.deepEqual(r.failed, []);
    assert.deepEqual([...r.applied].sort(), ['hostname', 'k3os.k3s_args', 'k3os.labels', 'k3os.sysctls']);
    assert.equal(r.rebootRequired, false);
    assert.deepEqual(r.reasons, []);
    assert.equal(r.hash, canonicalHash(desired));

    assert.equal(inNs(pid1, '-u', ['hostname']), 'ns-live-2');
    assert.equal(inNs(pid1, '-n', ['cat', '/proc/sys/net/ipv4/ip_forward']), '1');
    const written = fs.readFileSync(path.join(init.stateDir, 'var/lib/rancher/k3os/config.d/90-k3osconfig.yaml'), 'utf8');
    assert.match(written, /hostname: ns-live-2/);

    const after = await client.status();
    assert.notEqual(after.k3s.pid, before.k3s.pid, 'k3s is a new process');
    assert.deepEqual(after.pendingReboot, { rebootRequired: false, reasons: [], rebootKeys: [] });
    // k3s's output reaches its log file through PID 1's pipe reader, a moment after the start.
    let starts = k3sStarts(init.stateDir);
    for (let i = 0; i < 100 && starts.length < 2; i++) { await sleep(50); starts = k3sStarts(init.stateDir); }
    assert.equal(starts.length, 2, fs.readFileSync(path.join(init.stateDir, "var/log/k3s.log"), "utf8") + JSON.stringify(init.log().filter((x) => x.service === "k3s" || x.component === "config").map((x) => x.msg)));
    assert.equal(starts[1]!.pid, after.k3s.pid);
    assert.deepEqual(starts[1]!.args.slice(0, 2), ['--disable', 'traefik']);
    assert.ok(starts[1]!.args.join(' ').includes('--node-label zone=a'), starts[1]!.args.join(' '));
    assert.ok(!starts[0]!.args.includes('traefik'));
  });

  it('an invalid body is refused with the key path and changes nothing', async () => {
    const file = path.join(init.stateDir, 'var/lib/rancher/k3os/config.d/90-k3osconfig.yaml');
    const before = fs.readFileSync(file, 'utf8');
    const k3sPid = (await client.status()).k3s.pid;
    await assert.rejects(client.applyConfig({ hostname: 'ns-live-3', k3os: { console_log_level: 42 } }), (e: unknown) => {
      assert.ok(e instanceof ControlError);
      assert.equal(e.status, 400);
      assert.match(JSON.stringify(e.details), /k3os\.console_log_level/);
      return true;
    });
    assert.equal(fs.readFileSync(file, 'utf8'), before);
    assert.equal(inNs(pid1, '-u', ['hostname']), 'ns-live-2');
    assert.equal((await client.status()).k3s.pid, k3sPid);
  });

  it('SIGHUP re-reads config.d and applies the difference; an unchanged k3s keeps running', async () => {
    const k3sPid = (await client.status()).k3s.pid;
    fs.writeFileSync(path.join(init.stateDir, 'var/lib/rancher/k3os/config.d/95-hup.yaml'), 'k3os:\n  sysctls:\n    net.ipv4.ip_forward: "0"\n');
    process.kill(pid1, 'SIGHUP');
    await init.waitForLog((recs) => recs.some((x) => /config applied live \(signal SIGHUP\)/.test(String(x.msg))));
    assert.equal(inNs(pid1, '-n', ['cat', '/proc/sys/net/ipv4/ip_forward']), '0');
    assert.equal((await client.status()).k3s.pid, k3sPid);
    assert.equal(inNs(pid1, '-u', ['hostname']), 'ns-live-2');
  });

  it('a reboot one PUT needs stays in the next, unrelated PUT and in GET /v1/status until reverted', async () => {
    const sock = `/proc/${pid1}/root/run/k3os/init.sock`;
    const desired = { hostname: 'ns-live-2', k3os: { sysctls: { 'net.ipv4.ip_forward': '1' }, labels: { zone: 'a' }, k3s_args: ['server', '--disable', 'traefik'] } };
    const n = (await put(sock, { ...desired, boot_cmd: ['true'] })).json;
    assert.deepEqual(n.rebootKeys, ['boot_cmd']);
    const n1 = (await put(sock, { ...desired, boot_cmd: ['true'], hostname: 'ns-live-4' })).json;
    assert.deepEqual(n1.applied, ['hostname']);
    assert.equal(n1.rebootRequired, true);
    assert.deepEqual((await client.status()).pendingReboot, { rebootRequired: true, reasons: n1.reasons, rebootKeys: ['boot_cmd'] });
    const n2 = (await put(sock, { ...desired, hostname: 'ns-live-4' })).json;
    assert.equal(n2.rebootRequired, false);
    assert.equal((await client.status()).pendingReboot?.rebootRequired, false);
  });
});
