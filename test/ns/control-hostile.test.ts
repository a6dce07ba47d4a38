// PID 1 (container mode, with the image's --max-old-space-size=96) against
// hostile clients of its control socket: malformed requests of every kind seen
// in the field, random bytes, thousands of silent connections, slow senders and
// big bodies at once. Fixed counts; it stops by itself. Throughout, GET
// /v1/status is answered, RSS stays under its bound, every answer is a 4xx with
// a reason or a success, and no rejected request changes a file.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { InitUnderTest, REPO } from './init-harness.ts';
import { openFds, parseAnswer, randomBytes, rawExchange, silentClients, slowClient, Watch } from './control-clients.ts';

const ADDON = path.join(REPO, 'native/build/Release/k3os.node');
const skip = process.getuid?.() !== 0 ? 'needs root' : !fs.existsSync(ADDON) ? 'needs the addon (make addon)' : false;

/** PID 1's RSS bound under any client load, container mode (docs/architecture.md, "Control API"). */
const RSS_BOUND_MB = 150;
const SILENT = 3_000;
const SLOW = 40;
const BIG_BODIES = 12;
const RANDOM = 200;

const request = (method: string, target: string, body = '', headers = '') =>
  `${method} ${target} HTTP/1.1\r\nhost: x\r\n${headers}content-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

/** Every file under config dirs PID 1 writes on PUT /v1/config, by content hash. */
const configFiles = (stateDir: string): Record<string, string> => {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    if (!fs.existsSync(dir)) return;
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else out[path.relative(stateDir, p)] = createHash('sha256').update(fs.readFileSync(p)).digest('hex');
    }
  };
  walk(path.join(stateDir, 'var/lib/rancher/k3os'));
  return out;
};

describe('control API under hostile clients', { skip }, () => {
  let init: InitUnderTest;
  let pid1 = 0;
  let socketPath = '';
  before(async () => {
    init = new InitUnderTest({ nodeArgs: ['--max-old-space-size=96'] });
    await init.waitFor(/k3os-init: ready in/);
    pid1 = init.initPid();
    await init.waitForLog((r) => r.some((x) => x.msg === 'control API listening'));
    socketPath = `/proc/${pid1}/root/run/k3os/init.sock`;
  });
  after(async () => { await init?.kill(); });

  it('malformed requests and random bytes get a 4xx with a reason; nothing is written', async () => {
    const files = configFiles(init.stateDir);
    const cases: Array<[string, number, RegExp]> = [
      [request('GET', 'http://x/v1/status'), 400, /origin-form/],
      [request('GET', '//v1/status'), 400, /must not start with \/\//],
      [request('POST', '/v1/services/%zz/restart'), 400, /invalid percent-escape/],
      [request('POST', '/v1/services/nosuch/restart'), 404, /no service nosuch/],
      [request('PUT', '/v1/config', `{"write_files":${nested(100_000)}}`), 400, /nests deeper than/],
      [request('PUT', '/v1/config', `{"k3os":{"labels":{"a":${nested(100_000)}}}}`), 400, /nests deeper than/],
      [request('PUT', '/v1/config', '{"k3os":{"sysctls":{"constructor":"1","toString":"1"}}}'), 400, /invalid config/],
      [request('PUT', '/v1/config', '{"k3os":{"sysctls":{"__proto__":"1"}}}'), 400, /invalid config/],
      [request('PUT', '/v1/config', '{"k3os":{"network":{"interfaces":{"__proto__":{"dhcp":true}}}}}'), 400, /invalid config/],
      [request('PUT', '/v1/config', `{"write_files":[${Array(20_000).fill('{}').join(',')}]}`), 400, /invalid config/],
      [request('PUT', '/v1/config', `{"hostname":"${'a'.repeat(2 << 20)}"}`), 413, /larger than/],
      [request('PUT', '/v1/config', '{nope'), 400, /not JSON/],
      [request('DELETE', '/v1/config'), 405, /not allowed/],
      [request('GET', '/v1/status', '', `x-big: ${'a'.repeat(20_000)}\r\n`), 431, /too large/],
    ];
    for (const [bytes, status, reason] of cases) {
      const a = parseAnswer(await rawExchange(socketPath, bytes));
      assert.equal(a.status, status, `${bytes.slice(0, 60)}: ${JSON.stringify(a)}`);
      assert.match(a.error ?? '', reason);
    }
    for (let seed = 1; seed <= RANDOM; seed++) {
      const a = parseAnswer(await rawExchange(socketPath, Buffer.concat([randomBytes(seed, 64 + seed), Buffer.from('\r\n\r\n')])));
      assert.ok(a.status >= 400 && a.status < 500 && (a.error ?? '').length > 0, `seed ${seed}: ${JSON.stringify(a)}`);
    }
    assert.deepEqual(configFiles(init.stateDir), files);
  });

  it(`${SILENT} silent, ${SLOW} slow and ${BIG_BODIES} big-body clients at once: status answered throughout, RSS under ${RSS_BOUND_MB} MB`, async () => {
    const files = configFiles(init.stateDir);
    const fdsBefore = openFds(pid1);
    const watch = new Watch(socketPath, pid1);
    const slow = Array.from({ length: SLOW }, () => slowClient(socketPath, 100));
    const silent = await silentClients(socketPath, SILENT);
    const big = `{"hostname":"x","write_files":[{"path":"/x","content":"${'a'.repeat((1 << 20) - 200)}"}],"k3os":{"labels":{"__proto__":"x"}}}`;
    const bodies = await Promise.all(Array.from({ length: BIG_BODIES }, () => rawExchange(socketPath, request('PUT', '/v1/config', big))));
    const slowAnswers = await Promise.all(slow);
    silent.forEach((s) => s.destroy());
    await watch.stop();

    const maxRss = Math.max(...watch.rssKb) / 1024;
    console.log(`status answered ${watch.latencies.length} times: p50 ${watch.p(0.5).toFixed(1)} ms, p99 ${watch.p(0.99).toFixed(1)} ms, max ${watch.p(1).toFixed(1)} ms; RSS max ${maxRss.toFixed(1)} MB`);
    assert.deepEqual(watch.failures, []);
    assert.ok(watch.latencies.length > 20, `only ${watch.latencies.length} status probes`);
    assert.ok(maxRss < RSS_BOUND_MB, `RSS reached ${maxRss.toFixed(1)} MB`);
    for (const b of bodies) {
      const a = parseAnswer(b);
      assert.ok([400, 503].includes(a.status) && (a.error ?? '').length > 0, JSON.stringify(a));
    }
    // Slow senders are cut off by the header timeout (408), or closed to make room for newer clients.
    for (const s of slowAnswers) assert.ok(s === '' || parseAnswer(s).status === 408, s.slice(0, 80));
    assert.ok(slowAnswers.some((s) => parseAnswer(s).status === 408), 'no slow client saw the header timeout');
    assert.deepEqual(configFiles(init.stateDir), files);
    for (let i = 0; i < 100 && openFds(pid1) > fdsBefore + 2; i++) await new Promise((r) => setTimeout(r, 50));
    assert.ok(openFds(pid1) <= fdsBefore + 2, `PID 1 holds ${openFds(pid1)} fds, ${fdsBefore} before`);
  });
});
