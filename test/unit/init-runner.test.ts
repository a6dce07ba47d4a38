import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import pino from 'pino';
import { BootError, runSequence } from '../../src/init/phases/runner.ts';
import type { NodeState } from '../../src/init/node-state.ts';
import type { BootContext, Phase } from '../../src/init/phases/types.ts';
import { task } from '../../src/init/phases/types.ts';
import { bestEffort, withTimeout } from '../../src/init/phases/policy.ts';
import { nodeState } from '../fixtures/node-state.ts';
import { ManualTime } from '../fixtures/test-clock.ts';

function harness() {
  const records: Array<Record<string, unknown>> = [];
  const sink = new Writable({ write(chunk, _e, cb) { records.push(JSON.parse(String(chunk))); cb(); } });
  const log = pino({ level: 'debug' }, sink);
  const node = nodeState();
  const ctx = { log, node } as unknown as BootContext;
  return { ctx, records, node };
}

const ran: string[] = [];
const p = (name: string, ...tasks: Phase['tasks']): Phase => ({ name, tasks });
const t = (name: string) => task(name, () => { ran.push(name); });

test('phases run in order, re-read from the node state; each phase and task is logged with its binding', async () => {
  ran.length = 0;
  const { ctx, records, node } = harness();
  const seq = (n: NodeState) => [p('one', t('a'), task('decide', () => { n.modeChosen('recovery'); })), n.mode === 'recovery' ? p('rescue', t('r')) : p('normal', t('n'))];
  await runSequence(seq, ctx, { sequenceName: 'boot', clock: new ManualTime() });
  assert.deepEqual(ran, ['a', 'r']);
  assert.equal(node.mode, 'recovery');
  assert.ok(records.some((r) => r.phase === 'one' && r.task === 'a' && r.msg === 'done' && typeof r.ms === 'number'));
  assert.ok(records.some((r) => r.phase === 'rescue' && r.msg === 'rescue done'));
});

test('a task that changes the course ends its phase; the new sequence goes on from the same position', async () => {
  ran.length = 0;
  const { ctx, records } = harness();
  const seq = (n: NodeState) => [p('root', t('mount')), n.mode === 'recovery'
    ? p('recovery', t('menu'))
    : p('config', t('load'), task('prompt', () => { n.modeChosen('recovery'); }), t('apply')), p('services', t('k3s'))];
  await runSequence(seq, ctx, { sequenceName: 'boot', clock: new ManualTime() });
  assert.deepEqual(ran, ['mount', 'load', 'menu', 'k3s']);
  assert.ok(records.some((r) => r.phase === 'config' && r.msg === 'config cut short: the boot changed course'));
  assert.ok(!records.some((r) => r.msg === 'config done'));
});

test('a failing task becomes `boot phase n/m name: task: reason` with the cause', async () => {
  const { ctx } = harness();
  const boom = new Error('EBUSY: device or resource busy');
  const seq = () => [p('earlyMounts', t('x')), p('root', task('mountRoot', () => { throw boom; })), p('services', t('y'))];
  await assert.rejects(runSequence(seq, ctx, { sequenceName: 'boot', clock: new ManualTime() }), (err: unknown) => {
    assert.ok(err instanceof BootError);
    assert.equal(err.message, 'boot phase 2/3 root: mountRoot: EBUSY: device or resource busy');
    assert.equal(err.phase, 'root');
    assert.equal((err.cause as Error).cause, boom);
    return true;
  });
});

test('k3os_test.fail_stage fails the named phase before it runs (test-only hook)', async () => {
  ran.length = 0;
  const { ctx } = harness();
  const seq = () => [p('earlyMounts', t('e')), p('network', t('net')), p('services', t('s'))];
  await assert.rejects(runSequence(seq, ctx, { sequenceName: 'boot', clock: new ManualTime(), failStage: () => 'network' }),
    /^Error: boot phase 2\/3 network: forced failure \(k3os_test.fail_stage=network, test-only\)$|boot phase 2\/3 network: forced failure/);
  assert.deepEqual(ran, ['e']);
});

test('bestEffort turns a task failure into a warning', async () => {
  ran.length = 0;
  const { ctx, records } = harness();
  const seq = () => [p('modules', bestEffort(task('loadBootModules', () => { throw new Error('ENOENT'); })), t('after'))];
  await runSequence(seq, ctx, { sequenceName: 'boot', clock: new ManualTime() });
  assert.deepEqual(ran, ['after']);
  assert.ok(records.some((r) => r.level === 40 && String(r.msg).includes('best effort')));
});

test('withTimeout fails a task that does not finish in time; under bestEffort the boot goes on', async () => {
  ran.length = 0;
  const { ctx, records } = harness();
  const hang = task('awaitRecoveryPrompt', () => new Promise<void>(() => {}));
  const seq = () => [p('config', bestEffort(withTimeout(hang, 10), 'no recovery from the boot prompt'), t('applyBoot'))];
  await runSequence(seq, ctx, { sequenceName: 'boot', clock: new ManualTime() });
  assert.deepEqual(ran, ['applyBoot']);
  assert.ok(records.some((r) => r.level === 40 && /timed out after 10 ms/.test(JSON.stringify(r.err)) && String(r.msg).includes('no recovery from the boot prompt')));
  await assert.rejects(runSequence(() => [p('config', withTimeout(hang, 10))], ctx, { sequenceName: 'boot', clock: new ManualTime() }),
    /boot phase 1\/1 config: awaitRecoveryPrompt: awaitRecoveryPrompt: timed out after 10 ms/);
});
