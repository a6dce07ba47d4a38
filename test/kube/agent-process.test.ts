// The agent's entry point as PID 1 starts it: a child process configured by
// environment, stopped by SIGTERM.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createControlServer, type ControlServer } from '../../src/init/control/server.ts';
import { eventually, FakeNode, startCluster, statusAt, type Cluster } from './harness.ts';

const NODE = resolve(import.meta.dirname, '../../node_modules/.bin/node');
const MAIN = resolve(import.meta.dirname, '../../src/agent/main.ts');

describe('agent process', () => {
  let c: Cluster;
  let ctl: ControlServer;
  const node = new FakeNode({ hostname: 'node-1', k3os: { labels: { a: 'b' } } });
  before(async () => {
    c = await startCluster();
    ctl = createControlServer(node.handlers(), { socketPath: join(c.dir, 'init.sock') });
    await ctl.start();
  });
  after(async () => { await ctl.stop(); await c.close(); });

  it('reads KUBECONFIG, K3OS_NODE_NAME and K3OS_CONTROL_SOCKET, reconciles, and exits 0 on SIGTERM', async () => {
    const p = spawn(NODE, [MAIN], {
      env: { PATH: process.env.PATH ?? '', KUBECONFIG: c.nodeKubeconfig('node-1'), K3OS_NODE_NAME: 'node-1', K3OS_CONTROL_SOCKET: join(c.dir, 'init.sock') },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let log = '';
    p.stderr.on('data', (d) => { log += d; });
    await eventually(statusAt(c, 'node-1', 1), `initial status (${log})`);
    const r = await c.kubectl(['patch', 'k3osconfig', 'node-1', '--type', 'merge', '-p', '{"spec":{"hostname":"renamed"}}']);
    assert.equal(r.code, 0, r.stderr);
    await eventually(statusAt(c, 'node-1', 2), 'applied');
    assert.equal(node.applied.at(-1)?.hostname, 'renamed');
    const exit = new Promise<[number | null, string | null]>((res) => p.once('exit', (code, sig) => res([code, sig])));
    p.kill('SIGTERM');
    assert.deepEqual(await exit, [0, null]);
    assert.match(log, /"msg":"agent: stopped"/);
  });

  it('refuses bad arguments with exit 2 and the usage', async () => {
    const p = spawn(NODE, [MAIN, '--node-name', 'Not_A_Node'], { stdio: ['ignore', 'ignore', 'pipe'], env: { PATH: process.env.PATH ?? '' } });
    let err = '';
    p.stderr.on('data', (d) => { err += d; });
    const code = await new Promise((res) => p.once('exit', res));
    assert.equal(code, 2);
    assert.match(err, /nodeName: must be a lowercase RFC 1123 name/);
  });
});
