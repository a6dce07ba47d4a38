// The test API server's own building blocks: they stand in for
// kube-apiserver in the kube tests, so their semantics are checked here.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evalBool } from '../fixtures/apiserver/cel.ts';
import { jsonPatch, mergePatch, strategicMergePatch } from '../fixtures/apiserver/patch.ts';
import { Registry } from '../fixtures/apiserver/registry.ts';
import { fieldsMatch, jsonPathValues, labelsMatch, parseFieldSelector, parseLabelSelector } from '../fixtures/apiserver/selectors.ts';
import { Store } from '../fixtures/apiserver/store.ts';
import { applyDefaults, prune, validate } from '../fixtures/apiserver/structural.ts';
import { humanDuration } from '../fixtures/apiserver/table.ts';
import type { ApiError } from '../fixtures/apiserver/status.ts';

describe('structural schema', () => {
  const s = { type: 'object', properties: { n: { type: 'integer', minimum: 1, default: 3 }, e: { type: 'string', enum: ['a', 'b'] }, m: { type: 'object', additionalProperties: { type: 'string' } }, keep: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } }, required: ['e'] };
  it('reports kube-style field errors', () => {
    assert.deepEqual(validate({ n: 0, m: { k: 1 } }, s, 'spec').map((e) => [e.field, e.type, e.detail]), [
      ['spec.e', 'Required value', undefined],
      ['spec.n', 'Invalid value', 'spec.n in body should be greater than or equal to 1'],
      ['spec.m.k', 'Invalid value', 'spec.m.k in body must be of type string: "integer"'],
    ]);
    assert.equal(validate({ e: 'c' }, s, 'spec')[0]?.detail, 'supported values: "a", "b"');
  });
  it('prunes unknown fields except under preserve-unknown-fields, and defaults', () => {
    const o: any = { spec: { e: 'a', x: 1, keep: { anything: true } } };
    assert.deepEqual(prune(o, { type: 'object', properties: { spec: s } }), ['spec.x']);
    applyDefaults(o, { type: 'object', properties: { spec: s } });
    assert.deepEqual(o.spec, { e: 'a', keep: { anything: true }, n: 3 });
  });
});

describe('patches', () => {
  it('merge patch (RFC 7386) deletes with null and replaces lists', () => {
    assert.deepEqual(mergePatch({ a: 1, b: { c: 2, d: 3 }, l: [1] }, { b: { c: null }, l: [2] }), { a: 1, b: { d: 3 }, l: [2] });
  });
  it('JSON patch (RFC 6902) with test failing aborts', () => {
    assert.deepEqual(jsonPatch({ a: [1, 2] }, [{ op: 'add', path: '/a/-', value: 3 }, { op: 'move', from: '/a/0', path: '/b' }]), { a: [2, 3], b: 1 });
    assert.throws(() => jsonPatch({ a: 1 }, [{ op: 'test', path: '/a', value: 2 }]), (e: ApiError) => e.code === 422);
  });
  it('strategic merge: conditions merge by type, taints replace, $patch delete', () => {
    const node = { status: { conditions: [{ type: 'Ready', status: 'False' }, { type: 'X', status: 'True' }] }, spec: { taints: [{ key: 'a' }] } };
    const out: any = strategicMergePatch(node, { status: { conditions: [{ type: 'Ready', status: 'True' }, { type: 'X', $patch: 'delete' }] }, spec: { taints: [{ key: 'b' }] } });
    assert.deepEqual(out.status.conditions, [{ type: 'Ready', status: 'True' }]);
    assert.deepEqual(out.spec.taints, [{ key: 'b' }]);
  });
});

describe('selectors and JSONPath', () => {
  const o = { metadata: { name: 'n1', labels: { a: 'x', b: 'y' } }, status: { conditions: [{ type: 'Applied', status: 'True' }] } };
  it('label selectors: =, !=, in, notin, exists, !exists', () => {
    assert.equal(labelsMatch(parseLabelSelector('a=x,b in (y,z),!c,b'), o), true);
    assert.equal(labelsMatch(parseLabelSelector('a!=x'), o), false);
    assert.equal(labelsMatch(parseLabelSelector('b notin (y)'), o), false);
  });
  it('field selectors: metadata.name only unless the kind allows more', () => {
    assert.equal(fieldsMatch(parseFieldSelector('metadata.name=n1'), o), true);
    assert.throws(() => parseFieldSelector('spec.x=1'), /field label not supported: spec.x/);
  });
  it('JSONPath filters as printer columns use them', () => {
    assert.deepEqual(jsonPathValues(o, '.status.conditions[?(@.type=="Applied")].status'), ['True']);
    assert.deepEqual(jsonPathValues(o, '.status.conditions[0].type'), ['Applied']);
  });
  it('human durations like kubectl AGE', () => {
    assert.deepEqual([5e3, 150e3, 3_700e3, 90_000e3, 400 * 86_400e3].map(humanDuration), ['5s', '2m30s', '61m', '25h', '400d']);
  });
});

describe('CEL subset', () => {
  const vars = { request: { name: 'node-1', userInfo: { username: 'system:node:node-1' } }, object: null };
  it('evaluates the shipped policy expressions', () => {
    assert.deepEqual(evalBool("request.userInfo.username == 'system:node:' + request.name", vars), { ok: true, value: true });
    assert.deepEqual(evalBool("request.userInfo.username.startsWith('system:node:') && !has(request.namespace)", vars), { ok: true, value: true });
    assert.deepEqual(evalBool('object == null ? true : false', vars), { ok: true, value: true });
  });
  it('unsupported syntax and missing keys are errors (the policy fails closed)', () => {
    assert.equal(evalBool('request.name.exists(x, x)', vars).ok, false);
    assert.equal(evalBool('request.missing == 1', vars).ok, false);
  });
});

describe('registry semantics', () => {
  const reg = () => {
    const r = new Registry(new Store(), () => new Date('2026-01-01T00:00:00Z'));
    r.create(r.find('apiextensions.k8s.io', 'v1', 'customresourcedefinitions')!, undefined, {
      apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'things.ex.io' },
      spec: { group: 'ex.io', scope: 'Cluster', names: { plural: 'things', kind: 'Thing' }, versions: [{ name: 'v1', served: true, storage: true, subresources: { status: {} },
        schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { n: { type: 'integer' } } }, status: { type: 'object', properties: { ok: { type: 'boolean' } } } } } } }] },
    } as any, r.systemContext());
    return r;
  };
  it('generation bumps on spec changes only; status writes go through /status only', () => {
    const r = reg(); const d = r.find('ex.io', 'v1', 'things')!; const ctx = r.systemContext();
    const c = r.create(d, undefined, { metadata: { name: 't' }, spec: { n: 1 }, status: { ok: true } } as any, ctx);
    assert.equal(c.metadata.generation, 1);
    assert.equal((c as any).status, undefined, 'status is dropped on create');
    const labelled = r.patch(d, undefined, 't', 'application/merge-patch+json', { metadata: { labels: { a: 'b' } }, status: { ok: true } }, '', ctx);
    assert.equal(labelled.metadata.generation, 1);
    assert.equal((labelled as any).status, undefined, 'main resource writes ignore status');
    const st = r.patch(d, undefined, 't', 'application/merge-patch+json', { status: { ok: true }, spec: { n: 9 } }, 'status', ctx);
    assert.deepEqual([(st as any).status, (st as any).spec.n, st.metadata.generation], [{ ok: true }, 1, 1]);
    const sp = r.patch(d, undefined, 't', 'application/merge-patch+json', { spec: { n: 2 } }, '', ctx);
    assert.equal(sp.metadata.generation, 2);
    const same = r.patch(d, undefined, 't', 'application/merge-patch+json', { spec: { n: 2 } }, '', ctx);
    assert.equal(same.metadata.resourceVersion, sp.metadata.resourceVersion, 'a no-op write does not bump resourceVersion');
  });
  it('stale resourceVersion is 409; PUT without one is 422 for custom resources; bad values 422', () => {
    const r = reg(); const d = r.find('ex.io', 'v1', 'things')!; const ctx = r.systemContext();
    const c = r.create(d, undefined, { metadata: { name: 't' }, spec: { n: 1 } } as any, ctx);
    r.update(d, undefined, 't', { ...c, spec: { n: 2 } } as any, '', ctx);
    assert.throws(() => r.update(d, undefined, 't', { ...c, spec: { n: 3 } } as any, '', ctx), (e: ApiError) => e.code === 409 && e.reason === 'Conflict');
    assert.throws(() => r.update(d, undefined, 't', { metadata: { name: 't' }, spec: { n: 3 } } as any, '', ctx), /metadata.resourceVersion: Invalid value: "0x0": must be specified for an update/);
    assert.throws(() => r.patch(d, undefined, 't', 'application/merge-patch+json', { spec: { n: 'x' } }, '', ctx),
      (e: ApiError) => e.code === 422 && e.message === 'Thing.ex.io "t" is invalid: spec.n: Invalid value: "string": spec.n in body must be of type integer: "string"');
  });
  it('watch history: resuming below the retained window is refused (410)', () => {
    const s = new Store({ historySize: 2 });
    for (let i = 0; i < 4; i++) s.write('g/r', 'ADDED', { metadata: { name: `o${i}` } });
    assert.equal(s.subscribe('g/r', 1, () => {}), undefined);
    assert.deepEqual(s.subscribe('g/r', 2, () => {})?.replay.map((e) => e.rv), [3, 4]);
  });
});
