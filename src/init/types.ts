// Plain data shared by the phases, the supervisor and main. Decisions take and
// return these; effects happen only in tasks and owners.

/**
 * How PID 1 was started. `machine`: the kernel ran us as init. `container`:
 * PID 1 of a PID namespace (unshare, a container runtime): no devices, no
 * modules, no reboot(2). `dev`: not PID 1 at all, allowed only with
 * K3OS_INIT_DEV=1, touches no mounts.
 */
export type Runtime = 'machine' | 'container' | 'dev';

/** k3OS's boot modes; `rescue` and `k3os.mode=shell` map to recovery. */
export type Mode = 'live' | 'disk' | 'local' | 'install' | 'recovery';

export type PowerAction = 'reboot' | 'poweroff' | 'halt';

/** A terminal action is a value; only main runs the shutdown ladder. */
export interface PowerIntent {
  kind: 'power';
  action: PowerAction;
  reason: string;
}

export interface ReloadConfigIntent {
  kind: 'reloadConfig';
  reason: string;
}

export type Intent = PowerIntent | ReloadConfigIntent;

/** Every long-running loop has a named owner. stop() is idempotent. */
export interface Owned {
  readonly name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Abortable sleep; injected so loops are testable without real time. */
export type Delay = (ms: number, signal?: AbortSignal) => Promise<void>;

export interface Clock {
  /** Monotonic milliseconds. */
  now(): number;
}
