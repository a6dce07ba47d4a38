// planLiveApply: what a change of the effective config needs on a running
// node. Pure: two configs in, a list of actions out, plus whether anything
// waits for a reboot and why. The executor (live/apply.ts) runs the actions
// with the boot appliers; nothing here touches the node.
import { createHash } from 'node:crypto';
import type { Step } from '../../config/phases.ts';
import type { K3OSConfig } from '../../config/schema.ts';

export type LiveAction =
  /** One of the boot appliers (src/init/apply), with the keys that changed. */
  | { kind: 'step'; step: Step; keys: string[] }
  /** Restart k3s with the argv and env the next config gives (k3sArgs). */
  | { kind: 'restartK3s'; keys: string[] }
  /** Hand dns/ntp/network to the running network manager. */
  | { kind: 'network'; keys: string[] };

export interface LivePlan {
  actions: LiveAction[];
  rebootRequired: boolean;
  /** One line per key that only takes effect after a reboot. */
  reasons: string[];
  /** Those keys. */
  rebootKeys: string[];
}

export interface LiveCapabilities {
  /** The network manager can take new dns/ntp/network settings while running. */
  reconfigureNetwork: boolean;
}

type Json = unknown;

const canon = (v: Json): Json => {
  if (Array.isArray(v)) return v.map(canon);
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.keys(v).sort().map((k) => [k, canon((v as Record<string, Json>)[k])]));
  }
  return v;
};

const same = (a: Json, b: Json): boolean => JSON.stringify(canon(a ?? null)) === JSON.stringify(canon(b ?? null));

/** sha256 of the config's canonical JSON (keys sorted), as the agent hashes a spec. */
export const configHash = (config: K3OSConfig): string =>
  `sha256:${createHash('sha256').update(JSON.stringify(canon(config ?? {}))).digest('hex')}`;

const present = (v: Json): boolean =>
  v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0) && !(typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0);

const get = (c: K3OSConfig, key: string): Json => {
  let v: Json = c;
  for (const part of key.split('.')) v = v && typeof v === 'object' ? (v as Record<string, Json>)[part] : undefined;
  return v;
};

/** Items of a list that the next config no longer has. */
const removedItems = (prev: Json, next: Json): string[] => {
  const n = new Set(Array.isArray(next) ? next.map((x) => JSON.stringify(x)) : []);
  return (Array.isArray(prev) ? prev : []).filter((x) => !n.has(JSON.stringify(x))).map((x) => (typeof x === 'string' ? x : JSON.stringify(x)));
};

/** Keys of a map that the next config no longer has. */
const removedKeys = (prev: Json, next: Json): string[] => {
  const n = next && typeof next === 'object' ? next as Record<string, Json> : {};
  return Object.keys(prev && typeof prev === 'object' ? prev : {}).filter((k) => !(k in n));
};

// Keys with a live applier, grouped by the action that applies them.
const STEP_KEYS: ReadonlyArray<[Step, readonly string[]]> = [
  ['modules', ['k3os.modules']],
  ['sysctls', ['k3os.sysctls', 'k3os.console_log_level']],
  ['hostname', ['hostname']],
  ['password', ['k3os.password']],
  ['ssh_authorized_keys', ['ssh_authorized_keys']],
  ['write_files', ['write_files']],
  ['environment', ['k3os.environment']],
];
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

export function planLiveApply(previous: K3OSConfig, next: K3OSConfig, can: LiveCapabilities = { reconfigureNetwork: false }): LivePlan {
  const changed = (key: string) => !same(get(previous, key), get(next, key));
  const actions: LiveAction[] = [];
  const reboot: Array<[string, string]> = [];

  for (const [step, keys] of STEP_KEYS) {
    const hit = keys.filter(changed);
    // A step with nothing left to apply would only be reported as applied; removals are handled below.
    if (hit.length > 0 && keys.some((k) => present(get(next, k)))) actions.push({ kind: 'step', step, keys: hit });
  }

  // What an applier cannot take back: it only adds or overwrites.
  const gone = (key: string, items: string[], why: string) => { if (items.length > 0) reboot.push([key, `${key}: ${items.join(', ')} ${why}`]); };
  gone('k3os.modules', removedItems(get(previous, 'k3os.modules'), get(next, 'k3os.modules')), 'stay loaded until a reboot');
  gone('k3os.sysctls', removedKeys(get(previous, 'k3os.sysctls'), get(next, 'k3os.sysctls')), 'keep their value until a reboot');
  gone('k3os.environment', removedKeys(get(previous, 'k3os.environment'), get(next, 'k3os.environment')), 'stay in /etc/environment until a reboot');
  if (get(previous, 'hostname') !== undefined && get(next, 'hostname') === undefined) reboot.push(['hostname', 'hostname: removed; the current name stays until a reboot']);
  if (get(previous, 'k3os.console_log_level') !== undefined && get(next, 'k3os.console_log_level') === undefined) {
    reboot.push(['k3os.console_log_level', 'k3os.console_log_level: removed; the kernel keeps its level until a reboot']);
  }

  const k3s = K3S_KEYS.filter(changed);
  if (k3s.length > 0) actions.push({ kind: 'restartK3s', keys: [...k3s] });

  const net = NETWORK_KEYS.filter(changed);
  if (net.length > 0) {
    if (can.reconfigureNetwork) actions.push({ kind: 'network', keys: [...net] });
    else for (const k of net) reboot.push([k, `${k}: the network manager takes it at boot`]);
  }

  for (const [key, why] of BOOT_ONLY) if (changed(key)) reboot.push([key, `${key}: ${why}`]);

  const rebootKeys = [...new Set(reboot.map(([k]) => k))];
  return { actions, rebootRequired: reboot.length > 0, reasons: reboot.map(([, r]) => r), rebootKeys };
}
