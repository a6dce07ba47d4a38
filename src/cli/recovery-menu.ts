// The recovery menu's decisions: which entries exist, what an input line means,
// how status and logs read on an 80-column serial console. Pure.
import { stringify } from 'yaml';

export type EntryId =
  | 'status' | 'logs' | 'restartK3s' | 'lastGoodConfig' | 'rollback' | 'shell' | 'reboot' | 'poweroff';

export interface MenuEntry {
  key: string;
  id: EntryId;
  label: string;
  /** Why the entry cannot be used now; shown next to it and when chosen. */
  disabled?: string;
}

export interface MenuFacts {
  /** Whether the last call to the control API got an answer. */
  apiReachable: boolean;
  /** A previous OS version to roll back to (none until upgrades exist). */
  previousVersion?: string;
}

const UNREACHABLE = 'control API unreachable';

export function menuEntries(f: MenuFacts): MenuEntry[] {
  const needsApi = f.apiReachable ? {} : { disabled: UNREACHABLE };
  const entries: Omit<MenuEntry, 'key'>[] = [
    { id: 'status', label: 'status: failed stage, error, services, addresses', ...needsApi },
    { id: 'logs', label: 'last 200 log lines', ...needsApi },
    { id: 'restartK3s', label: 'restart k3s', ...needsApi },
    { id: 'lastGoodConfig', label: 'disable a config.d file and reboot with the last good config' },
    f.previousVersion
      ? { id: 'rollback', label: `roll back to ${f.previousVersion}`, disabled: 'rollback is not implemented yet' }
      : { id: 'rollback', label: 'roll back to the previous version', disabled: 'no previous version installed' },
    { id: 'shell', label: 'root shell' },
    { id: 'reboot', label: 'reboot' },
    { id: 'poweroff', label: 'power off' },
  ];
  return entries.map((e, i) => ({ key: String(i + 1), ...e }));
}

const ALIASES: Record<string, EntryId> = {
  status: 'status', logs: 'logs', log: 'logs', restart: 'restartK3s', config: 'lastGoodConfig',
  rollback: 'rollback', shell: 'shell', sh: 'shell', reboot: 'reboot', poweroff: 'poweroff', halt: 'poweroff',
};

export type Choice =
  | { kind: 'entry'; entry: MenuEntry }
  | { kind: 'redraw' }
  | { kind: 'invalid'; message: string }
  | { kind: 'eof' };

/** One input line -> what the operator asked for. null is end of input. */
export function parseChoice(line: string | null, entries: readonly MenuEntry[]): Choice {
  if (line === null) return { kind: 'eof' };
  const t = line.trim().toLowerCase();
  if (t === '' || t === '?' || t === 'help' || t === 'm' || t === 'menu') return { kind: 'redraw' };
  const byKey = entries.find((e) => e.key === t) ?? entries.find((e) => e.id === ALIASES[t]);
  const shown = t.length > 20 ? `${t.slice(0, 20)}...` : t;
  const printable = shown.replace(/[^\x20-\x7e]/g, '?');
  if (!byKey) {
    return { kind: 'invalid', message: `"${printable}" is not a choice: type a number from 1 to ${entries.length} and press Enter` };
  }
  if (byKey.disabled) return { kind: 'invalid', message: `${byKey.key}) ${byKey.label}: ${byKey.disabled}` };
  return { kind: 'entry', entry: byKey };
}

export function renderMenu(entries: readonly MenuEntry[], reason?: string): string {
  const lines = ['', '=== k3OS-ts recovery ==='];
  if (reason) lines.push(`reason: ${reason}`);
  for (const e of entries) lines.push(`  ${e.key}) ${e.label}${e.disabled ? `  [${e.disabled}]` : ''}`);
  return `${lines.join('\n')}\n`;
}

/** yes/no answers: Enter takes the default. undefined for anything else. */
export function parseYesNo(line: string | null, dflt: boolean): boolean | undefined {
  if (line === null) return false;
  const t = line.trim().toLowerCase();
  if (t === '') return dflt;
  if (t === 'y' || t === 'yes') return true;
  if (t === 'n' || t === 'no') return false;
  return undefined;
}

/** A numbered pick from a list; Enter takes dflt (an index) when given. */
export function parsePick(line: string | null, count: number, dflt?: number): number | undefined {
  if (line === null) return undefined;
  const t = line.trim();
  if (t === '') return dflt;
  if (!/^\d+$/.test(t)) return undefined;
  const n = Number(t);
  return n >= 1 && n <= count ? n - 1 : undefined;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined;
}

/**
 * GET /v1/status for a person: the failure first (stage and error), then services
 * and addresses, then the rest as YAML. Unknown shapes still print, as YAML.
 */
export function renderStatus(status: unknown): string {
  if (!isRecord(status)) return `${stringify(status).trimEnd()}\n`;
  const lines: string[] = [];
  const rest: Record<string, unknown> = { ...status };
  const failure = isRecord(status.failure) ? status.failure : isRecord(status.boot) ? status.boot : undefined;
  const stage = str(failure?.stage) ?? str(failure?.failedStage) ?? str(status.failedStage) ?? str(status.stage);
  const error = str(failure?.error) ?? str(failure?.message) ?? str(status.error) ?? str(status.lastError);
  const os = isRecord(status.os) ? status.os : undefined;
  const version = str(status.version) ?? (os ? [str(os.name), str(os.version)].filter(Boolean).join(' ') : undefined);
  const head = [str(status.hostname), str(status.mode) && `mode=${str(status.mode)}`, version && `version=${version}`]
    .filter(Boolean).join('  ');
  if (head) lines.push(head);
  if (stage || error) lines.push(`FAILED${stage ? ` at stage ${stage}` : ''}${error ? `: ${error}` : ''}`);
  for (const k of ['failure', 'failedStage', 'stage', 'error', 'lastError', 'hostname', 'mode', 'version', 'os', 'k3s']) delete rest[k];
  if (isRecord(status.k3s)) {
    const k = status.k3s;
    lines.push(`k3s: ${[str(k.state), str(k.pid) && `pid ${str(k.pid)}`, str(k.version)].filter(Boolean).join(', ')}`);
  }
  if (Array.isArray(status.services)) {
    delete rest.services;
    lines.push('services:');
    for (const s of status.services) {
      if (!isRecord(s)) { lines.push(`  ${String(s)}`); continue; }
      const bits = [str(s.state) ?? str(s.status), str(s.pid) && `pid ${str(s.pid)}`, str(s.restarts) && `restarts ${str(s.restarts)}`, str(s.lastError) ?? str(s.error)]
        .filter(Boolean);
      lines.push(`  ${str(s.id) ?? str(s.name) ?? '?'}: ${bits.join(', ')}`);
    }
  }
  if (Array.isArray(status.addresses)) {
    delete rest.addresses;
    lines.push('addresses:');
    for (const a of status.addresses) {
      lines.push(isRecord(a) ? `  ${str(a.iface) ?? str(a.interface) ?? '?'}  ${str(a.address) ?? str(a.cidr) ?? '?'}` : `  ${String(a)}`);
    }
  }
  if (Object.keys(rest).length > 0) lines.push(stringify(rest).trimEnd());
  return `${lines.join('\n')}\n`;
}

/** GET /v1/logs answers {entries: [...]} (also accepted: an array, {lines}, text); JSON log records print short. */
export function logLines(body: unknown): string[] {
  const list = isRecord(body) ? (Array.isArray(body.entries) ? body.entries : Array.isArray(body.lines) ? body.lines : undefined) : undefined;
  const raw = Array.isArray(body) ? body : list ?? (typeof body === 'string' ? body.split('\n') : []);
  return raw.filter((l) => l !== '').map((l) => {
    const rec = typeof l === 'string' ? tryJson(l) : l;
    if (!isRecord(rec) || typeof rec.msg !== 'string') return typeof l === 'string' ? l : JSON.stringify(l);
    const t = typeof rec.time === 'number' ? new Date(rec.time).toISOString().slice(11, 23)
      : typeof rec.time === 'string' ? (/T(\d\d:\d\d:\d\d(\.\d+)?)/.exec(rec.time)?.[1] ?? rec.time) : '';
    const lvl = typeof rec.level === 'number' ? ({ 10: 'TRC', 20: 'DBG', 30: 'INF', 40: 'WRN', 50: 'ERR', 60: 'FTL' } as Record<number, string>)[rec.level] ?? '' : String(rec.level ?? '');
    const err = isRecord(rec.err) && typeof rec.err.message === 'string' ? `: ${rec.err.message}` : '';
    return [t, lvl, `${rec.msg}${err}`].filter(Boolean).join(' ');
  }).map((l) => l.replace(/[\x00-\x08\x0b-\x1f\x7f]/g, '?'));
}

function tryJson(s: string): unknown {
  if (!s.startsWith('{')) return s;
  try { return JSON.parse(s); } catch { return s; }
}
