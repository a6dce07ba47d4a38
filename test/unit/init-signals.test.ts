import assert from 'node:assert/strict';
import { test } from 'node:test';
import { intentForSignal, IntentQueue, SIGNAL_INTENTS } from '../../src/init/signals.ts';

test('signal table of DESIGN.md', () => {
  const table = Object.fromEntries(Object.entries(SIGNAL_INTENTS).map(([s, i]) => [s, i.kind === 'power' ? i.action : i.kind]));
  assert.deepEqual(table, {
    SIGTERM: 'reboot', SIGINT: 'reboot', SIGUSR1: 'halt', SIGUSR2: 'poweroff', SIGPWR: 'poweroff', SIGHUP: 'reloadConfig',
  });
});

test('intents name the signal as the reason; unknown signals mean nothing', () => {
  assert.deepEqual(intentForSignal('SIGPWR'), { kind: 'power', action: 'poweroff', reason: 'signal SIGPWR' });
  assert.deepEqual(intentForSignal('SIGHUP'), { kind: 'reloadConfig', reason: 'signal SIGHUP' });
  assert.equal(intentForSignal('SIGWINCH'), undefined);
});

test('the queue hands intents out one at a time, in order, and ends on abort', async () => {
  const q = new IntentQueue();
  const ac = new AbortController();
  const first = q.next(ac.signal);
  q.push({ kind: 'reloadConfig', reason: 'a' });
  q.push({ kind: 'power', action: 'halt', reason: 'b' });
  assert.equal((await first)?.reason, 'a');
  assert.equal((await q.next(ac.signal))?.reason, 'b');
  const pending = q.next(ac.signal);
  ac.abort();
  assert.equal(await pending, undefined);
});

test('waiting does not pile abort listeners on the signal: one per wait, gone when it ends', async () => {
  const q = new IntentQueue();
  const ac = new AbortController();
  let listeners = 0;
  const add = ac.signal.addEventListener.bind(ac.signal);
  const remove = ac.signal.removeEventListener.bind(ac.signal);
  ac.signal.addEventListener = ((...a: Parameters<typeof add>) => { listeners++; add(...a); }) as typeof add;
  ac.signal.removeEventListener = ((...a: Parameters<typeof remove>) => { listeners--; remove(...a); }) as typeof remove;
  for (let i = 0; i < 50; i++) {
    const next = q.next(ac.signal);
    q.push({ kind: 'reloadConfig', reason: String(i) });
    await next;
  }
  assert.equal(listeners, 0);
});
