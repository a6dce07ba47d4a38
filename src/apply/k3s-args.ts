// How k3s is started from the config, as k3OS did it (pkg/cc ApplyK3S and
// its k3s-install.sh): `server` by default, `agent` when server_url is set,
// unless k3s_args already starts with a subcommand; labels (plus
// k3os.io/mode, as k3OS added) and taints; K3S_URL and K3S_TOKEN in the
// environment. Differences, on purpose: labels and taints use k3s's own
// --node-label/--node-taint flags instead of k3OS's `--kubelet-arg
// node-labels=`, and the token is always K3S_TOKEN (k3s reads a cluster
// secret from it too; K3S_CLUSTER_SECRET is gone from current k3s).
import type { K3OSConfig } from '../config/schema.ts';

export interface K3sCommand {
  /** Arguments after the k3s binary: ["server", ...] or ["agent", ...]. */
  argv: string[];
  /** Extra environment for k3s (k3os.environment, K3S_URL, K3S_TOKEN). */
  env: Record<string, string>;
}

export const k3sArgs = (config: K3OSConfig, mode?: string): K3sCommand => {
  const k = config.k3os ?? {};
  const given = k.k3s_args ?? [];
  const sub = k.server_url ? 'agent' : 'server';
  const argv = given.length === 0 || given[0]!.startsWith('-') ? [sub, ...given] : [...given];
  const labels = Object.entries(k.labels ?? {}).map(([key, v]) => `${key}=${v}`);
  if (mode) labels.push(`k3os.io/mode=${mode}`);
  for (const l of labels.sort()) argv.push('--node-label', l);
  for (const t of k.taints ?? []) argv.push('--node-taint', t);
  const env: Record<string, string> = { ...k.environment };
  if (k.server_url) env.K3S_URL = k.server_url;
  if (k.token) env.K3S_TOKEN = k.token;
  return { argv, env };
};
