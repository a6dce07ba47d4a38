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
