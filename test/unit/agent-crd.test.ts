import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { buildCrd, toStructural } from '../../src/agent/crd.ts';
import { CRD_PATH, renderCrd } from '../../scripts/gen-crd.ts';
import { configSchema } from '../../src/config/index.ts';
import { prune, validateObject } from '../fixtures/apiserver/structural.ts';

const root = resolve(import.meta.dirname, '../..');
const schemaOf = (crd: any) => crd.spec.versions[0].schema.openAPIV3Schema;

/** Structural: every node with properties/items/additionalProperties states its type. */
function nonStructural(s: any, path = ''): string[] {
  if (!s || typeof s !== 'object') return [];
  const out: string[] = [];
  if (!s.type && !s['x-kubernetes-preserve-unknown-fields'] && !s['x-kubernetes-int-or-string']) out.push(path || '<root>');
  if (s.properties && s.additionalProperties) out.push(`${path}: properties and additionalProperties`);
  for (const k of ['anyOf', 'oneOf', 'allOf', 'not', '$ref', 'propertyNames', '$schema']) if (k in s) out.push(`${path}: ${k}`);
  for (const [k, v] of Object.entries(s.properties ?? {})) out.push(...nonStructural(v, `${path}.${k}`));
  if (s.items) out.push(...nonStructural(s.items, `${path}[]`));
  if (typeof s.additionalProperties === 'object') out.push(...nonStructural(s.additionalProperties, `${path}{}`));
  return out;
}

describe('K3OSConfig CRD', () => {
  it('the committed manifest is what scripts/gen-crd.ts generates', () => {
    assert.equal(readFileSync(resolve(root, CRD_PATH), 'utf8'), renderCrd());
  });

  it('is a structural schema with names, status subresource and printer columns', () => {
    const crd = buildCrd() as any;
    assert.deepEqual(nonStructural(schemaOf(crd)), []);
    assert.equal(crd.metadata.name, 'k3osconfigs.k3os.io');
    assert.equal(crd.spec.scope, 'Cluster');
    assert.deepEqual(crd.spec.names.shortNames, ['k3oscfg']);
    assert.deepEqual(crd.spec.versions[0].subresources, { status: {} });
    assert.deepEqual(crd.spec.versions[0].additionalPrinterColumns.map((c: any) => c.name), ['Hostname', 'Applied', 'Reboot', 'OS', 'k3s', 'Age']);
    assert.ok(schemaOf(crd).properties.spec.properties.k3os.properties.sysctls.description);
  });

  it('rejects what the zod schema rejects, for values the schema can express', () => {
    const schema = schemaOf(parse(readFileSync(resolve(root, CRD_PATH), 'utf8')));
    const samples: unknown[] = [
      { hostname: 'a', k3os: { sysctls: { 'vm.x': '1' }, labels: { a: 'b' }, k3s_args: ['server'] } },
      { k3os: { network: { interfaces: { eth0: { mtu: 20 } } } } },
      { k3os: { console_log_level: 9 } },
      { write_files: [{ path: '/x', permissions: '99' }] },
      { write_files: [{ content: 'no path' }] },
      { write_files: [{ path: '/x', encoding: 'rot13' }] },
      { hostname: 7 },
      { k3os: { debug: 'yes' } },
    ];
    for (const spec of samples) {
      const zodOk = configSchema.safeParse(spec).success;
      const errs = validateObject({ spec } as any, schema);
      assert.equal(errs.length === 0, zodOk, `${JSON.stringify(spec)}: zod ${zodOk}, CRD ${JSON.stringify(errs)}`);
    }
  });

  it('prunes unknown keys the way the API server will', () => {
    const obj: any = { spec: { hostname: 'a', k3os: { sysctl: { a: 'b' } } } };
    assert.deepEqual(prune(obj, schemaOf(buildCrd())), ['spec.k3os.sysctl']);
  });

  it('toStructural rewrites JSON Schema keywords CRDs reject', () => {
    assert.deepEqual(toStructural({ type: 'integer', exclusiveMinimum: 0, maximum: Number.MAX_SAFE_INTEGER, $schema: 'x' }), { type: 'integer', minimum: 0, exclusiveMinimum: true });
    assert.deepEqual(toStructural({ type: 'object', propertyNames: { pattern: 'x' }, additionalProperties: { type: 'string' } }), { type: 'object', additionalProperties: { type: 'string' } });
    assert.deepEqual(toStructural({ type: 'array' }), { type: 'array', items: { 'x-kubernetes-preserve-unknown-fields': true } });
  });
});
