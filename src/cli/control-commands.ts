// `k3os status` and `k3os apply -f FILE`: thin front ends of PID 1's control
// API. Arguments are checked with zod; a config file is checked locally with
// src/config (same messages as `k3os config --validate`) before it is sent.
import { readFileSync } from 'node:fs';
import { ArgvError, parseFlags, type FlagSpec } from '../lib/argv.ts';
import { z } from 'zod';
import { formatIssue, loadSource } from '../config/index.ts';
import { createControlClient, type ControlClient } from '../api/client.ts';
import { ControlError } from '../api/transport.ts';
import { UsageError } from './args.ts';
import type { CliOutcome } from './exit-code.ts';

export const CONTROL_USAGE = `usage: k3os status [--json] [--socket PATH]
       k3os apply -f FILE [--socket PATH]     (FILE - reads stdin)`;

export interface ControlIO {
  out(text: string): void;
  err(text: string): void;
  readFile?(path: string): string;
  client?(socketPath: string | undefined): ControlClient;
}

const statusArgs = z.object({ json: z.boolean(), socket: z.string().min(1).optional() }).strict();
const applyArgs = z.object({ file: z.string({ error: 'apply needs -f FILE' }).min(1), socket: z.string().min(1).optional() }).strict();

function flags(argv: readonly string[], spec: FlagSpec): Record<string, string | true> {
  try {
    return parseFlags(argv, spec).values;
  } catch (e) {
    throw e instanceof ArgvError ? new UsageError(e.message) : e;
  }
}

const parse = <T>(schema: z.ZodType<T>, v: unknown): T => {
  const r = schema.safeParse(v);
  if (!r.success) throw new UsageError(r.error.issues.map((i) => i.message).join('; '));
  return r.data;
};

export async function statusCommand(argv: readonly string[], io: ControlIO): Promise<CliOutcome> {
  const a = parse(statusArgs, { json: false, ...flags(argv, { '--json': { name: 'json', kind: 'bool' }, '--socket': { name: 'socket', kind: 'value' } }) });
  const client = io.client?.(a.socket) ?? createControlClient(a.socket ? { socketPath: a.socket } : {});
  const s = await client.status();
  if (a.json) { io.out(`${JSON.stringify(s, null, 2)}\n`); return 'ok'; }
  const rows: Array<[string, string]> = [
    ['hostname', s.hostname], ['mode', s.mode], ['os', `${s.os.name} (${s.os.version})`], ['kernel', s.kernel],
    ['k3s', `${s.k3s.state}${s.k3s.version ? ` ${s.k3s.version}` : ''}${s.k3s.pid ? ` pid ${s.k3s.pid}` : ''}`],
    ['boot id', s.bootId], ['uptime', `${Math.round(s.uptimeMs / 1000)} s`],
  ];
  const pending = s.pendingReboot;
  if (pending) rows.push(['reboot', pending.rebootRequired ? `required for ${(pending.rebootKeys ?? []).join(', ') || 'some keys'}` : 'not needed']);
  for (const reason of pending?.rebootRequired ? pending.reasons ?? [] : []) rows.push(['', reason]);
  for (const [k, v] of rows) io.out(`${(k ? `${k}:` : '').padEnd(10)}${v}\n`);
  return 'ok';
}

export async function applyCommand(argv: readonly string[], io: ControlIO): Promise<CliOutcome> {
  const a = parse(applyArgs, flags(argv, { '-f': { name: 'file', kind: 'value' }, '--filename': { name: 'file', kind: 'value' }, '--socket': { name: 'socket', kind: 'value' } }));
  const text = (io.readFile ?? ((p) => readFileSync(p === '-' ? 0 : p, 'utf8')))(a.file);
  const checked = loadSource({ kind: 'yaml', name: a.file === '-' ? 'stdin' : a.file, text });
  for (const i of checked.issues) io.err(`${formatIssue(i)}\n`);
  if (!checked.config || checked.issues.some((i) => i.severity === 'error' || i.code === 'K3OS_UNKNOWN_KEY')) return 'invalid';
  const client = io.client?.(a.socket) ?? createControlClient(a.socket ? { socketPath: a.socket } : {});
  try {
    const r = await client.applyConfig(checked.config);
    io.out(`applied: ${r.applied.join(', ') || 'nothing'}\n`);
    for (const f of r.failed) io.err(`failed: ${f.key}: ${f.error}\n`);
    if (r.rebootRequired) io.out(`reboot required for: ${(r.rebootKeys ?? []).join(', ') || 'some keys'}\n`);
    return r.failed.length > 0 ? 'failed' : 'ok';
  } catch (e) {
    if (e instanceof ControlError && e.status === 400) {
      const d = e.details as { errors?: string[] } | undefined;
      for (const line of d?.errors ?? [e.message]) io.err(`${line}\n`);
      return 'invalid';
    }
    throw e;
  }
}
