import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MANAGED_LABELS, MANAGED_TAINTS, parseTaint, planNode } from '../../src/agent/node-sync.ts';

describe('parseTaint', () => {
  it('takes k3s --node-taint forms', () => {
    assert.deepEqual(parseTaint('dedicated=infra:NoSchedule'), { key: 'dedicated', value: 'infra', effect: 'NoSchedule' });
    assert.deepEqual(parseTaint('gpu:NoExecute'), { key: 'gpu', effect: 'NoExecute' });
    assert.equal(parseTaint('gpu=1:Sometimes'), undefined);
    assert.equal(parseTaint('novalue'), undefined);
  });
});

describe('planNode', () => {
  it('adds desired labels and records them as managed', () => {
    const p = planNode({ metadata: { labels: { 'kubernetes.io/hostname': 'n' } } }, { region: 'eu' });
    assert.deepEqual(p.labels, { metadata: { labels: { region: 'eu' }, annotations: { [MANAGED_LABELS]: 'region' } } });
    assert.equal(p.taints, undefined);
  });

  it('is empty when the Node already has everything (no write)', () => {
    const p = planNode({ metadata: { labels: { region: 'eu' }, annotations: { [MANAGED_LABELS]: 'region', [MANAGED_TAINTS]: 'a:NoSchedule' } }, spec: { taints: [{ key: 'a', effect: 'NoSchedule' }] } }, { region: 'eu' }, ['a:NoSchedule']);
    assert.deepEqual(p, { invalidTaints: [] });
  });

  it('removes managed labels and taints that left the spec, keeps foreign ones', () => {
    const p = planNode({
      metadata: { resourceVersion: '9', labels: { region: 'eu', team: 'x' }, annotations: { [MANAGED_LABELS]: 'region', [MANAGED_TAINTS]: 'a:NoSchedule' } },
      spec: { taints: [{ key: 'a', effect: 'NoSchedule' }, { key: 'foreign', effect: 'NoExecute' }] },
    }, {}, ['b=1:PreferNoSchedule', 'bad']);
    assert.deepEqual(p.labels, { metadata: { labels: { region: null }, annotations: { [MANAGED_LABELS]: null } } });
    assert.deepEqual(p.taints, {
      metadata: { resourceVersion: '9', annotations: { [MANAGED_TAINTS]: 'b:PreferNoSchedule' } },
      spec: { taints: [{ key: 'foreign', effect: 'NoExecute' }, { key: 'b', value: '1', effect: 'PreferNoSchedule' }] },
    });
    assert.deepEqual(p.invalidTaints, ['bad']);
  });
});

