import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { eventFor, nextConditions } from '../../src/agent/conditions.ts';

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
