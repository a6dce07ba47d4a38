// The K3OSConfig CustomResourceDefinition, generated from the config schema
// so the API server rejects what init would reject. z.toJSONSchema gives
// JSON Schema; CRDs want an OpenAPI v3 *structural* schema, so the keywords
// CRDs forbid are dropped or rewritten here.
import { z } from 'zod';
import { configSchema } from '../config/index.ts';
import { API_VERSION, CRD_NAME, GROUP, KIND, PLURAL, SHORT_NAME, SINGULAR, statusSchema, VERSION } from './resource.ts';

type Schema = Record<string, unknown>;

// Keywords allowed in a CRD's openAPIV3Schema (apiextensions v1 JSONSchemaProps).
const allowed = new Set([
  'type', 'format', 'description', 'properties', 'required', 'items', 'additionalProperties', 'enum',
  'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'minLength', 'maxLength', 'pattern',
  'minItems', 'maxItems', 'minProperties', 'maxProperties', 'nullable', 'default', 'title',
  'x-kubernetes-preserve-unknown-fields', 'x-kubernetes-list-type', 'x-kubernetes-list-map-keys',
  'x-kubernetes-map-type', 'x-kubernetes-int-or-string', 'x-kubernetes-validations',
]);

// JavaScript's safe-integer bounds that zod emits for .int() are not limits anyone wrote.
const SAFE = Number.MAX_SAFE_INTEGER;

/** JSON Schema (draft 2020-12, as zod emits it) -> structural OpenAPI v3. */
export function toStructural(s: Schema): Schema {
  const out: Schema = {};
  for (const [k, v] of Object.entries(s)) {
    if (!allowed.has(k)) continue;
    if (k === 'properties') out[k] = Object.fromEntries(Object.entries(v as Record<string, Schema>).map(([p, sub]) => [p, toStructural(sub)]));
    else if (k === 'items' || (k === 'additionalProperties' && typeof v === 'object')) out[k] = toStructural(v as Schema);
    else if (k === 'additionalProperties' && v === false) continue;
    else if ((k === 'minimum' && v === -SAFE) || (k === 'maximum' && v === SAFE)) continue;
    else if ((k === 'exclusiveMinimum' || k === 'exclusiveMaximum') && typeof v === 'number') {
      out[k === 'exclusiveMinimum' ? 'minimum' : 'maximum'] = v;
      out[k] = true;
    } else out[k] = v;
  }
  if (out.type === 'array' && out.items === undefined) out.items = { 'x-kubernetes-preserve-unknown-fields': true };
  return out;
}

const jsonSchema = (schema: z.ZodType): Schema =>
  toStructural(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Schema);

export function specSchema(): Schema {
  return { ...jsonSchema(configSchema), description: 'The node\'s desired runtime config: the keys of k3OS config.yaml (see /k3os/system/config.yaml), applied live where possible.' };
}

export function statusSchemaJson(): Schema {
  const s = jsonSchema(statusSchema);
  const conditions = (s.properties as Record<string, Schema>).conditions as Schema;
  Object.assign(conditions, { 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['type'] });
  return s;
}

const condition = (type: string) => `.status.conditions[?(@.type=="${type}")].status`;

export function buildCrd(): Record<string, unknown> {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: CRD_NAME, labels: { 'app.kubernetes.io/name': 'k3os', 'app.kubernetes.io/component': 'agent' } },
    spec: {
      group: GROUP,
      scope: 'Cluster',
      names: { plural: PLURAL, singular: SINGULAR, kind: KIND, listKind: `${KIND}List`, shortNames: [SHORT_NAME] },
      versions: [{
        name: VERSION,
        served: true,
        storage: true,
        subresources: { status: {} },
        additionalPrinterColumns: [
          { name: 'Hostname', type: 'string', jsonPath: '.status.node.hostname', description: 'The hostname the node runs with now.' },
          { name: 'Applied', type: 'string', jsonPath: condition('Applied'), description: 'Whether the node runs the current spec.' },
          { name: 'Reboot', type: 'string', jsonPath: condition('RebootRequired'), description: 'Whether part of the spec waits for a reboot.' },
          { name: 'OS', type: 'string', jsonPath: '.status.node.osVersion', description: 'The k3OS version on the node.' },
          { name: 'k3s', type: 'string', jsonPath: '.status.node.k3sVersion', description: 'The k3s version on the node.' },
          { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
        ],
        schema: {
          openAPIV3Schema: {
            type: 'object',
            description: `${KIND} is the OS configuration of one k3OS node, named after the node. Edit spec to change the node; the k3os agent on that node applies it and reports in status.`,
            properties: {
              apiVersion: { type: 'string', description: `APIVersion: ${API_VERSION}.` },
              kind: { type: 'string', description: `Kind: ${KIND}.` },
              metadata: { type: 'object' },
              spec: specSchema(),
              status: statusSchemaJson(),
            },
          },
        },
      }],
    },
  };
}
