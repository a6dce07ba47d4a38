// The K3OSConfig resource: names, the status shape (zod, so the CRD's
// status schema and the agent's writes come from one definition), and the
// condition types.
import { z } from 'zod';
import type { K3OSConfig } from '../config/index.ts';

export const GROUP = 'k3os.io';
export const VERSION = 'v1';
export const KIND = 'K3OSConfig';
export const PLURAL = 'k3osconfigs';
export const SINGULAR = 'k3osconfig';
export const SHORT_NAME = 'k3oscfg';
export const CRD_NAME = `${PLURAL}.${GROUP}`;
export const API_VERSION = `${GROUP}/${VERSION}`;

export const CONDITION_TYPES = ['Applied', 'RebootRequired', 'Degraded'] as const;
export type ConditionType = (typeof CONDITION_TYPES)[number];

export const conditionSchema = z.object({
  type: z.string().describe('Type of condition: Applied, RebootRequired or Degraded.'),
  status: z.enum(['True', 'False', 'Unknown']).describe('Status of the condition: True, False or Unknown.'),
  observedGeneration: z.number().int().min(0).optional()
    .describe('The metadata.generation the condition was computed for.'),
  lastTransitionTime: z.string().describe('When the condition last changed status (RFC 3339).'),
  reason: z.string().describe('A CamelCase reason for the condition\'s last transition.'),
  message: z.string().describe('A human readable message about the last transition.'),
}).describe('A Kubernetes-style condition (metav1.Condition).');

export const nodeFactsSchema = z.object({
  hostname: z.string().optional().describe('The hostname the node runs with now.'),
  osImage: z.string().optional().describe('PRETTY_NAME from /etc/os-release.'),
  osVersion: z.string().optional().describe('VERSION_ID from /etc/os-release.'),
  k3sVersion: z.string().optional().describe('The running k3s version.'),
  kernelVersion: z.string().optional().describe('The running kernel release (uname -r).'),
  bootID: z.string().optional().describe('The boot id (/proc/sys/kernel/random/boot_id); changes on every boot.'),
}).describe('Facts about the node the agent reports.');

export const statusSchema = z.object({
  observedGeneration: z.number().int().min(0).optional()
    .describe('The metadata.generation of the spec last sent to the node.'),
  conditions: z.array(conditionSchema).optional()
    .describe('Applied: the node runs the spec. RebootRequired: parts of the spec take effect after a reboot. Degraded: parts of the spec failed to apply.'),
  appliedHash: z.string().optional().describe('sha256 of the canonical JSON of the spec last applied.'),
  node: nodeFactsSchema.optional(),
  lastError: z.string().optional().describe('The last error applying the spec, empty when the last apply succeeded.'),
}).describe('What the node last observed and applied.');

export type Condition = z.infer<typeof conditionSchema>;
export type NodeFacts = z.infer<typeof nodeFactsSchema>;
export type K3OSConfigStatus = z.infer<typeof statusSchema>;

export interface K3OSConfigObject {
  apiVersion: typeof API_VERSION;
  kind: typeof KIND;
  metadata: { name: string; generation?: number; resourceVersion?: string; uid?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: K3OSConfig;
  status?: K3OSConfigStatus;
}
