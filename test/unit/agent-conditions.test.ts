import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { eventFor, nextConditions, rebootObservation } from '../../src/agent/conditions.ts';

const t0 = new Date('2026-01-01T00:00:00.123Z');
const t1 = new Date('2026-01-01T00:05:00Z');
const ok = { applied: ['hostname'], failed: [], rebootRequired: false };

describe('nextConditions', () => {
  it('builds all three conditions with observedGeneration', () => {
    const c = nextConditions(undefined, { kind: 'applied', generation: 3, result: ok }, t0);
    assert.deepEqual(c.map((x) => [x.type, x.status, x.reason, x.observedGeneration, x.lastTransitionTime]), [
      ['Applied', 'True', 'Applied', 3, '2026-01-01T00:00:00Z'],
      ['RebootRequired', 'False', 'AppliedLive', 3, '2026-01-01T00:00:00Z'],
      ['Degraded', 'False', 'AsExpected', 3, '2026-01-01T00:00:00Z'],
    ]);
  });

  it('keeps lastTransitionTime unless the status flips', () => {
    const first = nextConditions(undefined, { kind: 'applied', generation: 1, result: ok }, t0);
    const second = nextConditions(first, { kind: 'applied', generation: 2, result: { ...ok, rebootRequired: true, rebootKeys: ['k3os.install'] } }, t1);
    const byType = Object.fromEntries(second.map((c) => [c.type, c]));
    assert.equal(byType.Applied?.lastTransitionTime, '2026-01-01T00:00:00Z');
    assert.equal(byType.RebootRequired?.lastTransitionTime, '2026-01-01T00:05:00Z');
    assert.equal(byType.RebootRequired?.message, 'takes effect after a reboot: k3os.install');
    assert.equal(byType.Applied?.observedGeneration, 2);
  });

  it('partial failure: Applied False, Degraded True naming the keys', () => {
    const c = nextConditions(undefined, { kind: 'applied', generation: 4, result: { applied: ['hostname'], failed: [{ key: 'k3os.modules', error: 'ENOENT' }], rebootRequired: false } }, t0);
    const byType = Object.fromEntries(c.map((x) => [x.type, x]));
    assert.equal(byType.Applied?.reason, 'PartiallyApplied');
    assert.equal(byType.Degraded?.status, 'True');
    assert.equal(byType.Degraded?.message, 'k3os.modules: ENOENT');
    assert.deepEqual(eventFor({ kind: 'applied', generation: 4, result: { applied: [], failed: [{ key: 'k3os.modules', error: 'ENOENT' }], rebootRequired: false } }),
      { type: 'Warning', reason: 'ApplyFailed', message: 'generation 4: k3os.modules: ENOENT' });
  });

  it('invalid spec: Applied False with the node\'s errors; adopted: Applied True', () => {
    const inv = nextConditions(undefined, { kind: 'invalid', generation: 5, errors: ['PUT /v1/config: error: x'] }, t0);
    assert.deepEqual(inv.map((x) => x.status), ['False', 'False', 'True']);
    assert.equal(inv[0]?.reason, 'InvalidConfig');
    const ad = nextConditions(inv, { kind: 'adopted', generation: 1 }, t1);
    assert.deepEqual(ad.map((x) => [x.status, x.reason]), [['True', 'AdoptedFromNode'], ['False', 'NoChange'], ['False', 'AsExpected']]);
    assert.equal(eventFor({ kind: 'adopted', generation: 1 }).reason, 'Adopted');
  });

  it('clips long messages', () => {
    const c = nextConditions(undefined, { kind: 'invalid', generation: 1, errors: ['x'.repeat(5000)] }, t0);
    assert.equal(c[0]?.message.length, 1024);
  });
});

describe('RebootRequired message', () => {
  it('gives PID 1\'s reasons when it sends them, else the keys', () => {
    const reboot = { applied: [], failed: [], rebootRequired: true, rebootKeys: ['k3os.install', 'k3os.modules'] };
    const withReasons = nextConditions(undefined, { kind: 'applied', generation: 2, result: { ...reboot, reasons: ['k3os.install: at boot', 'k3os.modules: nf stays loaded until a reboot'] } }, t0);
    assert.equal(withReasons[1]?.message, 'takes effect after a reboot: k3os.install: at boot; k3os.modules: nf stays loaded until a reboot');
    const keysOnly = nextConditions(undefined, { kind: 'applied', generation: 2, result: { ...reboot, reasons: [] } }, t0);
    assert.equal(keysOnly[1]?.message, 'takes effect after a reboot: k3os.install, k3os.modules');
  });
});

describe('after a reboot', () => {
  const waiting = nextConditions(undefined, { kind: 'applied', generation: 2, result: { applied: ['hostname'], failed: [], rebootRequired: true, rebootKeys: ['k3os.install'] } }, t0);
  const status = { observedGeneration: 2, conditions: waiting, node: { bootID: 'boot-a' } };

  it('rebootObservation: only for another boot, with conditions, and nothing new to apply', () => {
    assert.deepEqual(rebootObservation(status, 2, { bootId: 'boot-b', pendingReboot: { rebootRequired: false } }),
      { kind: 'rebooted', generation: 2, bootId: 'boot-b', pending: { rebootRequired: false } });
    assert.equal(rebootObservation(status, 2, { bootId: 'boot-a' }), undefined, 'same boot');
    assert.equal(rebootObservation(status, 3, { bootId: 'boot-b' }), undefined, 'a new generation is applied instead');
    assert.equal(rebootObservation({ ...status, node: {} }, 2, { bootId: 'boot-b' }), undefined, 'no boot recorded');
    assert.equal(rebootObservation({ ...status, conditions: [] }, 2, { bootId: 'boot-b' }), undefined, 'no conditions yet');
    assert.equal(rebootObservation(undefined, 1, { bootId: 'boot-b' }), undefined);
    assert.deepEqual(rebootObservation(status, 2, { bootId: 'boot-b' })?.pending, { rebootRequired: false }, 'PID 1 without pendingReboot: nothing waits');
  });

  it('RebootRequired True -> False (Rebooted); Applied and Degraded unchanged', () => {
    const c = nextConditions(waiting, { kind: 'rebooted', generation: 2, bootId: 'boot-b', pending: { rebootRequired: false } }, t1);
    assert.deepEqual(c.map((x) => [x.type, x.status, x.reason, x.lastTransitionTime]), [
      ['Applied', 'True', 'Applied', '2026-01-01T00:00:00Z'],
      ['RebootRequired', 'False', 'Rebooted', '2026-01-01T00:05:00Z'],
      ['Degraded', 'False', 'AsExpected', '2026-01-01T00:00:00Z'],
    ]);
    assert.equal(c[1]?.message, 'boot boot-b runs the spec; nothing waits for a reboot');
    assert.deepEqual(c[0], waiting[0]);
  });

  it('a RebootRequired that was already False keeps its reason; one still pending stays True', () => {
    const live = nextConditions(undefined, { kind: 'applied', generation: 2, result: ok }, t0);
    assert.deepEqual(nextConditions(live, { kind: 'rebooted', generation: 2, bootId: 'boot-b', pending: { rebootRequired: false } }, t1), live);
    const still = nextConditions(waiting, { kind: 'rebooted', generation: 2, bootId: 'boot-b', pending: { rebootRequired: true, reasons: ['k3os.modules: at boot'] } }, t1);
    assert.deepEqual([still[1]?.status, still[1]?.message, still[1]?.lastTransitionTime], ['True', 'takes effect after a reboot: k3os.modules: at boot', '2026-01-01T00:00:00Z']);
    assert.deepEqual(eventFor({ kind: 'rebooted', generation: 2, bootId: 'boot-b', pending: { rebootRequired: true, reasons: ['k3os.modules: at boot'] } }),
      { type: 'Normal', reason: 'Rebooted', message: 'boot boot-b, generation 2: takes effect after a reboot: k3os.modules: at boot' });
  });

  it('without earlier conditions, Applied and Degraded are Unknown', () => {
    const c = nextConditions(undefined, { kind: 'rebooted', generation: 1, bootId: 'boot-b', pending: { rebootRequired: false } }, t0);
    assert.deepEqual(c.map((x) => [x.status, x.reason]), [['Unknown', 'NotObserved'], ['False', 'Rebooted'], ['Unknown', 'NotObserved']]);
  });
});
