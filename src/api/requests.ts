// Validation of control API requests: one zod schema per route, and config
// bodies through src/config's own loader so aliases, unknown keys and bad
// values are reported exactly as `k3os config --validate` reports them.
import { z } from 'zod';
import { formatIssue, loadSource, type K3OSConfig } from '../config/index.ts';

export const logsQuery = z.object({
  lines: z.coerce.number().int().min(1).max(10_000).default(100).describe('How many of the latest log entries to return.'),
}).strict();

export const powerBody = z.object({
  reason: z.string().max(200).optional().describe('Why, for the log.'),
}).strict();

export const serviceId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'expected a service id such as k3s');

export type ConfigCheck = { ok: true; config: K3OSConfig; warnings: string[] } | { ok: false; errors: string[]; warnings: string[] };

/** The PUT /v1/config body: a k3OS config as JSON. Any error rejects the whole request. */
export function checkConfigBody(body: unknown, source = 'PUT /v1/config'): ConfigCheck {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, errors: [`${source}: error: the body must be a JSON object (a k3OS config) [K3OS_NOT_A_MAP]`], warnings: [] };
  }
  const r = loadSource({ kind: 'json', name: source, value: body });
  const errors = r.issues.filter((i) => i.severity === 'error' || i.code === 'K3OS_UNKNOWN_KEY').map(formatIssue);
  const warnings = r.issues.filter((i) => i.severity === 'warning' && i.code !== 'K3OS_UNKNOWN_KEY').map(formatIssue);
  if (errors.length > 0 || !r.config) return { ok: false, errors, warnings };
  return { ok: true, config: r.config, warnings };
}
