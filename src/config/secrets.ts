// Which config values are secrets, said once for every layer: the cluster
// token, rancher's password, wifi passphrases, the values of k3s flags that
// carry credentials, and environment variables named like credentials. The
// agent leaves them out of the K3OSConfig it publishes, the control API
// answers with them redacted, and PID 1 scrubs their values from every line
// it logs or prints.
import { k3sFlagUses } from './k3s-flags.ts';
import type { K3OSConfig } from './schema.ts';

export const REDACTED = '[redacted]';

/** k3s flags whose value is a credential (`--token T`, `--token=T`). */
export const SECRET_K3S_FLAGS: ReadonlySet<string> = new Set(['--token', '-t', '--agent-token', '--cluster-secret', '--datastore-endpoint', '--password']);
/** Environment variable names that carry credentials (K3S_TOKEN, AWS_SECRET_ACCESS_KEY...). */
export const SECRET_ENV_NAME = /(TOKEN|SECRET|PASSWORD|PASSPHRASE|KEY)$/i;
/** Kernel parameters and config keys whose last segment names a credential. */
export const SECRET_KEY_NAME = /(password|token|passphrase|secret|psk)$/i;

/** True for a config key path that holds a secret (`k3os.token`, `k3os.wifi.0.passphrase`, `k3os.environment.K3S_TOKEN`). */
export function isSecretPath(path: readonly (string | number)[]): boolean {
  const last = String(path.at(-1) ?? '');
  if (path[0] === 'k3os' && path[1] === 'environment' && path.length === 3) return SECRET_ENV_NAME.test(last);
  return SECRET_KEY_NAME.test(last);
}

const k3sSecretValues = (argv: readonly string[]): string[] => k3sFlagUses(argv, SECRET_K3S_FLAGS).map((u) => u.value);

/** Every secret string a config holds, for scrubbing text that may quote them. */
export function secretValues(config: K3OSConfig): string[] {
  const k = config.k3os ?? {};
  const values = [
    k.token, k.password,
    ...(k.wifi ?? []).map((w) => w.passphrase),
    ...Object.entries(k.environment ?? {}).filter(([name]) => SECRET_ENV_NAME.test(name)).map(([, v]) => v),
    ...k3sSecretValues(k.k3s_args ?? []),
  ];
  return values.filter((v): v is string => typeof v === 'string' && v !== '');
}

/** The config with every secret replaced by [redacted]: what the node shows of itself. */
export function redactSecrets(config: K3OSConfig): K3OSConfig {
  if (!config.k3os) return config;
  const k = config.k3os;
  return {
    ...config,
    k3os: {
      ...k,
      ...(k.token !== undefined ? { token: REDACTED } : {}),
      ...(k.password !== undefined ? { password: REDACTED } : {}),
      ...(k.wifi ? { wifi: k.wifi.map((w) => (w.passphrase !== undefined ? { ...w, passphrase: REDACTED } : w)) } : {}),
      ...(k.environment ? { environment: Object.fromEntries(Object.entries(k.environment).map(([n, v]) => [n, SECRET_ENV_NAME.test(n) ? REDACTED : v])) } : {}),
      ...(k.k3s_args ? { k3s_args: redactK3sArgs(k.k3s_args) } : {}),
    },
  };
}

/** k3s's argv (or a whole command line with the binary first) with the values of credential flags replaced. */
export function redactK3sArgs(argv: readonly string[]): string[] {
  const out = [...argv];
  for (const u of k3sFlagUses(argv, SECRET_K3S_FLAGS)) out[u.index] = u.inline ? `${u.flag}=${REDACTED}` : REDACTED;
  return out;
}

/**
 * The config with every secret left out: what may be published where others
 * read it. A key left out keeps the node's own value when the published copy
 * comes back (maps merge by field, leaves replace whole), so the wifi list and
 * k3s_args, when they carry a credential, are left out whole rather than edited.
 */
export function withoutSecrets(config: K3OSConfig): K3OSConfig {
  if (!config.k3os) return config;
  const { token: _token, password: _password, wifi, environment, k3s_args, ...k3os } = config.k3os;
  return {
    ...config,
    k3os: {
      ...k3os,
      ...(wifi && wifi.every((w) => w.passphrase === undefined) ? { wifi } : {}),
      ...(environment ? { environment: Object.fromEntries(Object.entries(environment).filter(([n]) => !SECRET_ENV_NAME.test(n))) } : {}),
      ...(k3s_args && k3sSecretValues(k3s_args).length === 0 ? { k3s_args } : {}),
    },
  };
}
