// planLiveApply: what a change of the effective config needs on a running
// node. Pure: configs in, a list of actions out, plus whether anything waits
// for a reboot and why. Actions follow the last applied config; a pending
// reboot follows what the node booted with (RebootBaseline), so a later,
// unrelated change cannot hide it and reverting a key clears it. The executor
// (live/execute.ts) runs the actions with the boot appliers; nothing here
// touches the node.
import type { PendingReboot } from '../../api/contract.ts';
import { STEP_KEYS, type Step } from '../../config/phases.ts';
import type { K3OSConfig } from '../../config/schema.ts';
import { canonical } from '../../lib/hash.ts';

export type LiveAction =
  /** One of the boot appliers (src/apply), with the keys that changed. */
  | { kind: 'step'; step: Step; keys: string[] }
  /** Restart k3s with the argv and env the next config gives (k3sArgs). */
  | { kind: 'restartK3s'; keys: string[] };

export interface LivePlan {
  actions: LiveAction[];
  rebootRequired: boolean;
  /** One line per key that only takes effect after a reboot. */
  reasons: string[];
  /** Those keys. */
  rebootKeys: string[];
}

/**
 * What a running node holds that only a reboot resets: the config it booted
 * with (keys read once per boot), and everything an additive applier has put
 * in place since boot, live applies included (a module loaded live stays
 * loaded after the config drops it).
 */
export interface RebootBaseline {
  boot: K3OSConfig;
  modules: string[];
  sysctls: string[];
  environment: string[];
  hostname: boolean;
  consoleLogLevel: boolean;
}

type Json = unknown;

const same = (a: Json, b: Json): boolean => JSON.stringify(canonical(a ?? null)) === JSON.stringify(canonical(b ?? null));

const present = (v: Json): boolean =>
  v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0) && !(typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0);

const get = (c: K3OSConfig, key: string): Json => {
  let v: Json = c;
  for (const part of key.split('.')) v = v && typeof v === 'object' ? (v as Record<string, Json>)[part] : undefined;
  return v;
};

// The appliers that run live, with the keys each reads; the commands run only in their boot phase.
const LIVE_STEPS: ReadonlyArray<[Step, readonly string[]]> = (
  ['modules', 'sysctls', 'hostname', 'password', 'ssh_authorized_keys', 'write_files', 'environment'] as const
).map((step) => [step, STEP_KEYS[step]]);
const K3S_KEYS = ['k3os.k3s_args', 'k3os.labels', 'k3os.taints', 'k3os.token', 'k3os.server_url', 'k3os.environment'] as const;
const NETWORK_KEYS = ['k3os.dns_nameservers', 'k3os.ntp_servers', 'k3os.network', 'k3os.wifi'] as const;
/** Read once per boot: changing them means a reboot, each with its reason. */
const BOOT_ONLY: ReadonlyArray<[string, string]> = [
  ['k3os.install', 'install settings are read when the node installs'],
  ['k3os.data_sources', 'cloud data sources are probed at boot'],
  ['k3os.mode', 'the boot mode is chosen at boot'],
  ['k3os.fallback_mode', 'the boot mode is chosen at boot'],
  ['k3os.debug', 'debug logging is set at boot'],
  ['init_cmd', 'init_cmd runs in the initrd phase of the next boot'],
  ['boot_cmd', 'boot_cmd runs in the boot phase of the next boot'],
  ['run_cmd', 'run_cmd runs in the runtime phase of the next boot'],
];

const keysOf = (v: Json): string[] => Object.keys(v && typeof v === 'object' && !Array.isArray(v) ? v : {});
const itemsOf = (v: Json): string[] => (Array.isArray(v) ? v.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))) : []);
const union = (a: readonly string[], b: readonly string[]): string[] => [...new Set([...a, ...b])];

/** The baseline right after boot: only the boot config is in place. */
export const rebootBaseline = (boot: K3OSConfig): RebootBaseline => carry({
  boot, modules: [], sysctls: [], environment: [], hostname: false, consoleLogLevel: false,
}, boot);

/** The baseline once `applied` has been applied live: the boot config stays, additive keys accumulate. */
export function carry(base: RebootBaseline, applied: K3OSConfig): RebootBaseline {
  return {
    boot: base.boot,
    modules: union(base.modules, itemsOf(get(applied, 'k3os.modules'))),
    sysctls: union(base.sysctls, keysOf(get(applied, 'k3os.sysctls'))),
    environment: union(base.environment, keysOf(get(applied, 'k3os.environment'))),
    hostname: base.hostname || get(applied, 'hostname') !== undefined,
    consoleLogLevel: base.consoleLogLevel || get(applied, 'k3os.console_log_level') !== undefined,
  };
}

/** What `next` leaves waiting for a reboot on a node at `base`, one reason per key. */
export function pendingReboot(base: RebootBaseline, next: K3OSConfig): Required<PendingReboot> {
  const reboot: Array<[string, string]> = [];
  const differs = (key: string) => !same(get(base.boot, key), get(next, key));

  // What an applier cannot take back: it only adds or overwrites.
  const gone = (key: string, held: readonly string[], kept: string[], why: string) => {
    const items = held.filter((x) => !kept.includes(x));
    if (items.length > 0) reboot.push([key, `${key}: ${items.join(', ')} ${why}`]);
  };
  gone('k3os.modules', base.modules, itemsOf(get(next, 'k3os.modules')), 'stay loaded until a reboot');
  gone('k3os.sysctls', base.sysctls, keysOf(get(next, 'k3os.sysctls')), 'keep their value until a reboot');
  gone('k3os.environment', base.environment, keysOf(get(next, 'k3os.environment')), 'stay in /etc/environment until a reboot');
  if (base.hostname && get(next, 'hostname') === undefined) reboot.push(['hostname', 'hostname: removed; the current name stays until a reboot']);
  if (base.consoleLogLevel && get(next, 'k3os.console_log_level') === undefined) {
    reboot.push(['k3os.console_log_level', 'k3os.console_log_level: removed; the kernel keeps its level until a reboot']);
  }

  // The network manager reads its settings once, when the network phase starts it.
  for (const k of NETWORK_KEYS.filter(differs)) reboot.push([k, `${k}: the network manager takes it at boot`]);

  for (const [key, why] of BOOT_ONLY) if (differs(key)) reboot.push([key, `${key}: ${why}`]);

  const rebootKeys = [...new Set(reboot.map(([k]) => k))];
  return { rebootRequired: reboot.length > 0, reasons: reboot.map(([, r]) => r), rebootKeys };
}

/**
 * Live actions from `previous` (the last applied config) to `next`; the
 * pending reboot against `base`, which defaults to a node that booted with
 * `previous`.
 */
export function planLiveApply(
  previous: K3OSConfig,
  next: K3OSConfig,
  base: RebootBaseline = rebootBaseline(previous),
): LivePlan {
  const changed = (key: string) => !same(get(previous, key), get(next, key));
  const actions: LiveAction[] = [];

  for (const [step, keys] of LIVE_STEPS) {
    const hit = keys.filter(changed);
    // A step with nothing left to apply would only be reported as applied; removals wait for a reboot.
    if (hit.length > 0 && keys.some((k) => present(get(next, k)))) actions.push({ kind: 'step', step, keys: hit });
  }

  const k3s = K3S_KEYS.filter(changed);
  if (k3s.length > 0) actions.push({ kind: 'restartK3s', keys: [...k3s] });

  return { actions, ...pendingReboot(base, next) };
}
