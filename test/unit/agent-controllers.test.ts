import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setImmediate as tick } from 'node:timers/promises';
import { ControllerManager, type Controller } from '../../src/agent/controllers.ts';
import type { Delay } from '../../src/lib/time.ts';

/** A promise the test settles by hand. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => { open = resolve; });
  return { opened, open };
}

/**
 * A controller whose watch the test fires by hand and whose reconcile runs
 * `step` (default: return at once). Counts runs and what the watch saw.
 */
function fake(name: string) {
  const c = {
    runs: 0,
    step: async (_run: number): Promise<void> => {},
    watchStarted: false,
    watchStops: 0,
    trigger: (): void => { throw new Error('watch not built'); },
    fail: (_err: unknown, _attempt: number): void => { throw new Error('watch not built'); },
  };
  const controller: Controller = {
    name,
    watch: (trigger, failed) => {
      c.trigger = trigger;
      c.fail = failed;
      return {
        name: `${name}-watch`,
        start: async () => { c.watchStarted = true; },
        stop: async () => { c.watchStarted = false; c.watchStops++; },
      };
    },
    reconcile: () => c.step(++c.runs),
  };
  return { c, controller };
}

function recordingLog() {
  const warns: Array<{ obj: Record<string, unknown>; msg: string }> = [];
  const log = { info: () => {}, error: () => {}, warn: (obj: object, msg: string) => { warns.push({ obj: obj as Record<string, unknown>, msg }); } };
  return { warns, log };
}

/** Backoff waits the test releases by hand (or that end on abort), so nothing waits real time. */
function manualDelay() {
  const waits: Array<{ ms: number; release: () => void }> = [];
  const delay: Delay = (ms, signal) => new Promise<void>((resolve) => {
    waits.push({ ms, release: resolve });
    signal?.addEventListener('abort', () => resolve(), { once: true });
  });
  return { waits, delay };
}

/** Lets queued microtasks and immediates run, so "nothing happened" is a real observation. */
const settle = async () => { for (let i = 0; i < 5; i++) await tick(); };

describe('ControllerManager', () => {
  it('runs each controller once on start, before and independent of its watch', async () => {
    const a = fake('a');
    const b = fake('b');
    const m = new ControllerManager({ controllers: [a.controller, b.controller], log: recordingLog().log });
    await m.start();
    await m.idle();
    assert.equal(a.c.runs, 1);
    assert.equal(b.c.runs, 1);
    assert.ok(a.c.watchStarted && b.c.watchStarted);
    await m.stop();
  });

  it('keeps running one controller while the other is stuck in a reconcile', async () => {
    const a = fake('a');
    const b = fake('b');
    const stuck = gate();
    a.c.step = () => stuck.opened;
    const m = new ControllerManager({ controllers: [a.controller, b.controller], log: recordingLog().log });
    await m.start();
    for (let i = 0; i < 3; i++) { b.c.trigger(); await settle(); }
    assert.equal(b.c.runs, 4);
    assert.equal(a.c.runs, 1);
    stuck.open();
    await m.idle();
    await m.stop();
  });

  it('folds a burst of triggers during a run into at most one more run', async () => {
    const a = fake('a');
    const b = fake('b');
    const first = gate();
    a.c.step = (run) => (run === 1 ? first.opened : Promise.resolve());
    const m = new ControllerManager({ controllers: [a.controller, b.controller], log: recordingLog().log });
    await m.start();
    for (let i = 0; i < 10; i++) a.c.trigger();
    first.open();
    await m.idle();
    assert.equal(a.c.runs, 2);
    assert.equal(b.c.runs, 1, 'the burst on a does not run b');
    await m.stop();
  });

  it('retries a failing reconcile with backoff, logged under its name, while the other keeps working', async () => {
    const a = fake('node');
    const b = fake('other');
    a.c.step = async (run) => { if (run <= 2) throw new Error(`boom ${run}`); };
    const { waits, delay } = manualDelay();
    const { warns, log } = recordingLog();
    const m = new ControllerManager({ controllers: [a.controller, b.controller], log, delay });
    await m.start();
    await settle();
    assert.equal(a.c.runs, 1);
    assert.deepEqual(waits.map((w) => w.ms), [1000]);

    b.c.trigger();
    await settle();
    assert.equal(b.c.runs, 2, 'b runs while a waits out its backoff');

    waits[0]!.release();
    await settle();
    assert.deepEqual(waits.map((w) => w.ms), [1000, 2000]);
    waits[1]!.release();
    await m.idle();
    assert.equal(a.c.runs, 3);
    assert.deepEqual(warns.map((w) => [w.msg, w.obj.controller, w.obj.err, w.obj.attempt]), [
      ['agent: reconcile failed, retrying', 'node', 'boom 1', 0],
      ['agent: reconcile failed, retrying', 'node', 'boom 2', 1],
    ]);
    await m.stop();
  });

  it('logs watch failures under the controller name', async () => {
    const a = fake('node');
    const { warns, log } = recordingLog();
    const m = new ControllerManager({ controllers: [a.controller], log });
    await m.start();
    a.c.fail(new Error('connection reset'), 3);
    assert.deepEqual(warns, [{ obj: { controller: 'node', err: 'connection reset', attempt: 3 }, msg: 'agent: watch failed, restarting' }]);
    await m.stop();
  });

  it('stop() stops the watches, waits for the run in flight, and starts no run after it', async () => {
    const a = fake('a');
    const b = fake('b');
    const inFlight = gate();
    a.c.step = (run) => (run === 1 ? inFlight.opened : Promise.resolve());
    const m = new ControllerManager({ controllers: [a.controller, b.controller], log: recordingLog().log });
    await m.start();
    a.c.trigger();
    let stopped = false;
    const stopping = m.stop().then(() => { stopped = true; });
    await settle();
    assert.equal(stopped, false, 'stop waits for the reconcile in flight');
    assert.equal(a.c.watchStarted || b.c.watchStarted, false, 'watches are stopped first');
    inFlight.open();
    await stopping;
    a.c.trigger();
    b.c.trigger();
    await settle();
    assert.equal(a.c.runs, 1, 'the trigger pending at stop never ran');
    assert.equal(b.c.runs, 1);
    await m.stop();
    assert.equal(a.c.watchStops, 2, 'a second stop is harmless');
  });

  it('idle() waits for pending work, including a run one controller causes in another', async () => {
    const a = fake('a');
    const b = fake('b');
    const release = gate();
    const bGate = gate();
    const m = new ControllerManager({ controllers: [a.controller, b.controller], log: recordingLog().log });
    await m.start();
    await m.idle();
    a.c.step = async () => { await release.opened; b.c.trigger(); };
    b.c.step = (run) => (run === 2 ? bGate.opened : Promise.resolve());
    a.c.trigger();
    a.c.trigger();
    let idle = false;
    const waiting = m.idle().then(() => { idle = true; });
    await settle();
    assert.equal(idle, false, 'a run is in flight and one is pending');
    release.open();
    await settle();
    assert.equal(a.c.runs, 3);
    assert.equal(idle, false, "a's run triggered b, which is still running");
    bGate.open();
    await waiting;
    assert.equal(b.c.runs, 3, 'b ran once per trigger from a');
    await m.stop();
  });
});
