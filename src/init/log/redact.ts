// Secrets never reach a log: config keys by name, k3s flags by name, the
// K3S_TOKEN style environment variables and k3os.password/k3os.token style
// kernel parameters by pattern.
import { tokenizeCmdline } from '../../config/cmdline.ts';

export const REDACTED = '[redacted]';

/** pino redact paths: any depth we log config at. */
export const REDACT_PATHS = [
  'token', 'password', '*.token', '*.password', '*.*.token', '*.*.password',
  'env.K3S_TOKEN', 'env.K3S_AGENT_TOKEN', 'env.K3S_CLUSTER_SECRET',
  'config.k3os.token', 'config.k3os.password', 'config.ssh_authorized_keys',
];

const SECRET_FLAGS = new Set(['--token', '-t', '--agent-token', '--cluster-secret', '--datastore-endpoint', '--password']);
const SECRET_ENV = /(TOKEN|SECRET|PASSWORD|KEY)$/i;

export function redactArgv(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    const eq = a.indexOf('=');
    if (eq > 0 && SECRET_FLAGS.has(a.slice(0, eq))) { out.push(`${a.slice(0, eq)}=${REDACTED}`); continue; }
    out.push(a);
    if (SECRET_FLAGS.has(a) && i + 1 < argv.length) { out.push(REDACTED); i++; }
  }
  return out;
}

export function redactEnv(env: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) out[k] = SECRET_ENV.test(k) ? REDACTED : v;
  return out;
}

const SECRET_PARAM = /(password|token|passphrase|secret|psk)/i;

/** The kernel command line as a log may keep it: every secret parameter's value replaced. */
export function redactCmdline(text: string): string {
  return tokenizeCmdline(text).map((word) => {
    const eq = word.indexOf('=');
    return eq > 0 && SECRET_PARAM.test(word.slice(0, eq)) ? `${word.slice(0, eq)}=${REDACTED}` : word;
  }).join(' ');
}
