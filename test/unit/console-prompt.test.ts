import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readBootCmdline } from '../../src/init/cmdline.ts';

const parseConsoles = (text: string) => readBootCmdline(text).consoles;
import { planRecoveryPrompt, promptMessage, startRecoveryPrompt, type KeyInput } from '../../src/init/console/prompt.ts';

const consoles = parseConsoles('console=tty1 console=ttyS0,115200');

test('prompt plan: skipped when recovery is already asked, disabled, not a machine, or no console', () => {
  const base = { runtime: 'machine', recoveryRequested: false, promptMs: 1000, consoles };
  assert.deepEqual(planRecoveryPrompt(base), { kind: 'prompt', devices: consoles, timeoutMs: 1000, message: 'k3os-init: press any key within 1 s for the recovery menu' });
  assert.deepEqual(planRecoveryPrompt({ ...base, recoveryRequested: true }), { kind: 'skip', reason: 'recovery already requested' });
  assert.equal(planRecoveryPrompt({ ...base, promptMs: 0 }).kind, 'skip');
  assert.deepEqual(planRecoveryPrompt({ ...base, runtime: 'container' }), { kind: 'skip', reason: 'no console input in container runtime' });
  assert.deepEqual(planRecoveryPrompt({ ...base, consoles: [] }), { kind: 'skip', reason: 'no console device' });
  assert.equal(promptMessage(1500), 'k3os-init: press any key within 1.5 s for the recovery menu');
});

function fakeInputs(present: string[]) {
  const keys = new Map<string, () => void>();
  const closed: string[] = [];
  const messages: string[] = [];
  const open = (dev: { name: string }, message: string): KeyInput | null => {
    if (!present.includes(dev.name)) return null;
    messages.push(`${dev.name}: ${message}`);
    return { onKey: (l) => keys.set(dev.name, l), close: () => closed.push(dev.name) };
  };
  return { keys, closed, messages, open };
}

function manualTimer() {
  let fire: (() => void) | undefined;
  let cancelled = false;
  return { timer: (fn: () => void) => { fire = fn; return () => { cancelled = true; }; }, fire: () => fire?.(), cancelled: () => cancelled };
}

test('a key on any console wins; every console is restored and the window closes', async () => {
  const f = fakeInputs(['tty1', 'ttyS0']);
  const t = manualTimer();
  const p = startRecoveryPrompt(planRecoveryPrompt({ runtime: 'machine', recoveryRequested: false, promptMs: 1000, consoles }), { open: f.open, timer: t.timer });
  assert.equal(f.messages.length, 2);
  f.keys.get('ttyS0')!();
  assert.equal(await p.pressed, true);
  assert.deepEqual(f.closed.sort(), ['tty1', 'ttyS0']);
  assert.equal(t.cancelled(), true);
  f.keys.get('tty1')!();
  t.fire();
  assert.deepEqual(f.closed.length, 2, 'closing happens once');
});

test('the window closing without a key means boot goes on', async () => {
  const f = fakeInputs(['ttyS0']);
  const t = manualTimer();
  const p = startRecoveryPrompt(planRecoveryPrompt({ runtime: 'machine', recoveryRequested: false, promptMs: 1000, consoles }), { open: f.open, timer: t.timer });
  t.fire();
  assert.equal(await p.pressed, false);
  assert.deepEqual(f.closed, ['ttyS0']);
});

test('no console opens (absent, not a terminal, open throws): no wait at all', async () => {
  const t = manualTimer();
  const plan = planRecoveryPrompt({ runtime: 'machine', recoveryRequested: false, promptMs: 1000, consoles });
  const p = startRecoveryPrompt(plan, { open: (d) => { if (d.name === 'tty1') throw new Error('ENXIO'); return null; }, timer: t.timer });
  assert.equal(await p.pressed, false);
  const skipped = startRecoveryPrompt({ kind: 'skip', reason: 'x' });
  assert.equal(await skipped.pressed, false);
});

test('stop() ends the window early as "no key"', async () => {
  const f = fakeInputs(['tty1']);
  const p = startRecoveryPrompt(planRecoveryPrompt({ runtime: 'machine', recoveryRequested: false, promptMs: 1000, consoles }), { open: f.open, timer: manualTimer().timer });
  await p.stop();
  assert.equal(await p.pressed, false);
  assert.deepEqual(f.closed, ['tty1']);
});
