// The thin reader: config sources from disk in k3OS's merge order, and the
// last good config. Everything under `root`, except /proc/cmdline which is
// the running kernel's.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { dumpYaml } from '../config/dump.ts';
import type { ConfigDecision } from '../config/lastgood.ts';
import { decideConfig, LAST_GOOD_PATH } from '../config/lastgood.ts';
import type { ConfigSource } from '../config/load.ts';
import { loadConfig, loadSource } from '../config/load.ts';
import type { K3OSConfig } from '../config/schema.ts';
import { under } from './files.ts';
import { writeFileAtomic } from '../lib/atomic-write.ts';

export const CONFIG_PATHS = {
  system: '/k3os/system/config.yaml',
  local: '/var/lib/rancher/k3os/config.yaml',
  localHostname: '/run/config/local_hostname',
  sshKeys: '/run/config/ssh/authorized_keys',
  userdata: '/run/config/userdata',
  configD: '/var/lib/rancher/k3os/config.d',
  lastGood: LAST_GOOD_PATH,
} as const;

type Read = { ok: Buffer } | { missing: true } | { error: string };

const read = async (file: string): Promise<Read> => {
  try {
    return { ok: await fs.readFile(file) };
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ENOENT' || err.code === 'ENOTDIR') return { missing: true };
    return { error: err.message };
  }
};

const yamlSource = async (root: string, name: string): Promise<ConfigSource[]> => {
  const r = await read(under(root, name));
  if ('ok' in r) return [{ kind: 'yaml', name, text: r.ok.toString('utf8') }];
  if ('error' in r) return [{ kind: 'unreadable', name, reason: r.error }];
  return [];
};

export interface ReadOptions {
  /** The kernel command line; default: read from procDir/cmdline. */
  cmdline?: string;
  procDir?: string;
}

export const readConfigSources = async (root: string, opts: ReadOptions = {}): Promise<ConfigSource[]> => {
  const sources: ConfigSource[] = [];
  sources.push(...(await yamlSource(root, CONFIG_PATHS.system)));
  let cmdline = opts.cmdline;
  if (cmdline === undefined) {
    const r = await read(path.join(opts.procDir ?? '/proc', 'cmdline'));
    cmdline = 'ok' in r ? r.ok.toString('utf8') : '';
  }
  sources.push({ kind: 'cmdline', text: cmdline });
  sources.push(...(await yamlSource(root, CONFIG_PATHS.local)));

  const host = await read(under(root, CONFIG_PATHS.localHostname));
  const keys = await read(under(root, CONFIG_PATHS.sshKeys));
  if ('ok' in host || 'ok' in keys) {
    sources.push({
      kind: 'metadata', name: 'cloud metadata (/run/config)',
      ...('ok' in host ? { hostname: host.ok.toString('utf8') } : {}),
      ...('ok' in keys ? { authorizedKeys: keys.ok.toString('utf8') } : {}),
    });
  }

  const ud = await read(under(root, CONFIG_PATHS.userdata));
  if ('ok' in ud) sources.push({ kind: 'userdata', name: CONFIG_PATHS.userdata, bytes: ud.ok });
  else if ('error' in ud) sources.push({ kind: 'unreadable', name: CONFIG_PATHS.userdata, reason: ud.error });

  let names: string[] = [];
  try {
    names = (await fs.readdir(under(root, CONFIG_PATHS.configD))).filter((n) => !n.startsWith('.')).sort();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') sources.push({ kind: 'unreadable', name: CONFIG_PATHS.configD, reason: (e as Error).message });
  }
  for (const n of names) sources.push(...(await yamlSource(root, path.posix.join(CONFIG_PATHS.configD, n))));
  return sources;
};

export const readLastGood = async (root: string): Promise<K3OSConfig | undefined> => {
  const r = await read(under(root, CONFIG_PATHS.lastGood));
  if (!('ok' in r)) return undefined;
  const res = loadSource({ kind: 'yaml', name: CONFIG_PATHS.lastGood, text: r.ok.toString('utf8') });
  return res.issues.some((i) => i.severity === 'error') ? undefined : res.config;
};

export const saveLastGood = (root: string, config: K3OSConfig): Promise<void> =>
  writeFileAtomic(under(root, CONFIG_PATHS.lastGood), dumpYaml(config), { dirMode: 0o755, mode: 0o600 });

/**
 * Read, merge and decide: the config to apply, with every warning and error.
 * A clean load replaces last-good.yaml; a load with errors falls back to it.
 */
export const loadNodeConfig = async (root: string, opts: ReadOptions = {}): Promise<ConfigDecision> => {
  const loaded = loadConfig(await readConfigSources(root, opts));
  const decision = decideConfig(loaded, loaded.errors.length > 0 ? await readLastGood(root) : undefined);
  if (decision.save) await saveLastGood(root, decision.config);
  return decision;
};
