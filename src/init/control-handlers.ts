// PID 1's side of the control API (src/api/contract.ts): answers from the node state
// and the supervisor; power requests become intents for main's one switch.
import fs from 'node:fs';
import os from 'node:os';
import { ControlRefusal, type ControlHandlers, type ControlStatus, type LogEntry } from '../api/contract.ts';
import { redactSecrets } from '../config/index.ts';
import type { SecretScrubber } from './log/redact.ts';
import type { BootContext } from './phases/types.ts';
import type { LiveConfig } from './live/live-config.ts';
import type { IntentQueue } from './signals.ts';

/** The newest JSON log records, for GET /v1/logs and the recovery menu. */
export class LogRing {
  readonly #max: number;
  readonly #lines: string[] = [];
  constructor(max = 500) { this.#max = max; }
  write(line: string): void {
    this.#lines.push(line);
    if (this.#lines.length > this.#max) this.#lines.shift();
  }
  entries(n: number): LogEntry[] {
    const LEVELS: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };
    return this.#lines.slice(-n).map((l) => {
      const r = JSON.parse(l) as Record<string, unknown>;
      return { ...r, time: new Date(Number(r.time)).toISOString(), level: LEVELS[Number(r.level)] ?? String(r.level), msg: String(r.msg ?? '') };
    });
  }
}

const readText = (p: string, fallback = '') => { try { return fs.readFileSync(p, 'utf8').trim(); } catch { return fallback; } };

function osRelease(): { name: string; version: string } {
  const text = readText('/etc/os-release');
  const get = (k: string) => /^(\w+)=(.*)$/m.test(text) ? (new RegExp(`^${k}="?([^"\\n]*)"?$`, 'm').exec(text)?.[1] ?? '') : '';
  return { name: get('PRETTY_NAME') || get('NAME'), version: get('VERSION_ID') };
}

export function controlHandlers(
  ctx: Pick<BootContext, 'node' | 'supervisor' | 'sys'>, intents: IntentQueue, ring: LogRing, live: Pick<LiveConfig, 'put' | 'pendingReboot'>,
  secrets: Pick<SecretScrubber, 'scrubValue'>,
): ControlHandlers {
  return {
    status(): ControlStatus {
      const k3s = ctx.supervisor.get('k3s');
      // A failure's message can quote the config it failed on.
      return secrets.scrubValue({
        hostname: os.hostname(),
        mode: ctx.node.mode ?? 'unknown',
        bootId: readText('/proc/sys/kernel/random/boot_id'),
        kernel: os.release(),
        os: osRelease(),
        k3s: { state: k3s?.status.state ?? 'absent', ...(k3s?.pid ? { pid: k3s.pid } : {}) },
        uptimeMs: Math.round(performance.now()),
        pendingReboot: live.pendingReboot(),
        ...(ctx.node.recoveryReason ? { recoveryReason: ctx.node.recoveryReason } : {}),
        ...(ctx.node.failure ? { failure: ctx.node.failure } : {}),
        services: ctx.supervisor.list().map((r) => ({ id: r.decl.id, state: r.status.state, pid: r.pid, restarts: r.restarts })),
      });
    },
    // The socket is root's, but answers end up in terminals and tickets: secrets stay on the node's disk.
    effectiveConfig: () => secrets.scrubValue(redactSecrets(ctx.node.config ?? {})),
    applyConfig: async (config) => secrets.scrubValue(await live.put(config)),
    power(intent) {
      intents.push(intent);
    },
    logs: (lines) => ring.entries(lines),
    async restartService(id) {
      const r = ctx.supervisor.get(id);
      if (!r) {
        throw id === 'k3s' && ctx.node.recoveryReason !== undefined
          ? new ControlRefusal(409, 'k3s is not running: boot went to recovery before the services stage')
          : new ControlRefusal(404, `no service ${id}`);
      }
      const pid = r.pid;
      // The runner restarts it by its policy; a kill is the restart.
      if (pid !== null) ctx.sys.kill(pid, 'SIGTERM');
    },
  };
}
