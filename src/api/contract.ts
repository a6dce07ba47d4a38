// src/api: the control API's contract, below PID 1 and its clients alike. What PID 1
// implements (ControlHandlers, served by src/init/control/server.ts), what clients get
// back, the request schemas, the one transport with its ControlError, and the client
// that validates answers. The agent, the CLI and the recovery menu reach the node
// only through this layer; it imports src/config and nothing above it.
import type { K3OSConfig } from '../config/index.ts';

export const CONTROL_SOCKET = '/run/k3os/init.sock';

/** The power actions the API offers (POST /v1/reboot, /v1/poweroff); halt is signal-only. */
export type ControlPowerAction = 'reboot' | 'poweroff';

/** A power request as PID 1's intent queue takes it. */
export interface PowerRequest {
  kind: 'power';
  action: ControlPowerAction;
  reason: string;
}

export interface ControlStatus {
  hostname: string;
  /** Boot mode: live, disk, local, install, recovery. */
  mode: string;
  /** /proc/sys/kernel/random/boot_id */
  bootId: string;
  /** uname -r */
  kernel: string;
  /** From /etc/os-release: PRETTY_NAME and VERSION_ID. */
  os: { name: string; version: string };
  k3s: { state: string; version?: string; pid?: number };
  uptimeMs: number;
  /**
   * What the config applied live leaves waiting for a reboot, compared with
   * the config this boot started with. Absent where PID 1 applies nothing live.
   */
  pendingReboot?: PendingReboot;
  /** Anything else PID 1 wants to show (services, network...). */
  [extra: string]: unknown;
}

export interface ApplyFailure { key: string; error: string }

export interface ApplyResult {
  /** Top-level or dotted keys applied live (hostname, k3os.sysctls, ...). */
  applied: string[];
  failed: ApplyFailure[];
  /** True when some of the change only takes effect after a reboot. */
  rebootRequired: boolean;
  /** The keys that wait for a reboot. */
  rebootKeys?: string[];
  /** Why each of them waits, one line per key ("k3os.install: ..."). */
  reasons?: string[];
  /** sha256:<hex> of the desired config's canonical JSON (keys sorted), as the agent hashes a spec. */
  hash?: string;
}

/** What the applied config leaves waiting for a reboot of this boot. */
export type PendingReboot = Pick<ApplyResult, 'rebootRequired' | 'rebootKeys' | 'reasons'>;

export interface LogEntry { time: string; level: string; msg: string; [extra: string]: unknown }

/** A handler's answer that the request cannot be done as asked: the server sends it with its status, never as a 500. */
export class ControlRefusal extends Error {
  /** 404: no such thing; 409: not in this state of the node. */
  readonly status: 404 | 409;
  constructor(status: 404 | 409, message: string) {
    super(message);
    this.name = 'ControlRefusal';
    this.status = status;
  }
}

/** What PID 1 implements; the server validates every request before calling these. */
export interface ControlHandlers {
  status(): ControlStatus | Promise<ControlStatus>;
  /** The merged config init runs with. */
  effectiveConfig(): K3OSConfig | Promise<K3OSConfig>;
  /**
   * Persist `config` as the desired runtime config (config.d/90-k3osconfig.yaml,
   * atomically) and apply what can be applied live. Already validated.
   */
  applyConfig(config: K3OSConfig): ApplyResult | Promise<ApplyResult>;
  /** Queue the intent for main's shutdown ladder; return before it runs. */
  power(intent: PowerRequest): void | Promise<void>;
  logs(lines: number): LogEntry[] | Promise<LogEntry[]>;
  /** Optional: POST /v1/services/<id>/restart (the recovery console uses it); ControlRefusal 404 for an unknown id. */
  restartService?(id: string): void | Promise<void>;
}
