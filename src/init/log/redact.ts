// Secrets never reach a log or an answer of PID 1's. Two nets, both fed by
// src/config/secrets.ts: structured fields by name (pino's redact paths, k3s
// flags, credential-named environment variables, kernel parameters), and a
// scrubber that replaces the values of every secret PID 1 has seen (command
// line, each loaded config) wherever they appear in a line, which also
// catches an error message that quotes one.
import { REDACTED, redactK3sArgs, SECRET_ENV_NAME, SECRET_KEY_NAME, secretValues, tokenizeCmdline, type K3OSConfig } from '../../config/index.ts';

/** pino redact paths: any depth we log config at. */
export const REDACT_PATHS = [
  'token', 'password', '*.token', '*.password', '*.*.token', '*.*.password',
  'env.K3S_TOKEN', 'env.K3S_AGENT_TOKEN', 'env.K3S_CLUSTER_SECRET',
  'config.k3os.token', 'config.k3os.password', 'config.ssh_authorized_keys',
];

/** A spawned command line as a log may keep it. */
export const redactArgv = redactK3sArgs;

export function redactEnv(env: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) out[k] = SECRET_ENV_NAME.test(k) ? REDACTED : v;
  return out;
}

/** The kernel command line's secret parameters (`k3os.password=...`): their values. */
export function cmdlineSecrets(text: string): string[] {
  return tokenizeCmdline(text).flatMap((word) => {
    const eq = word.indexOf('=');
    return eq > 0 && SECRET_KEY_NAME.test(word.slice(0, eq)) && eq < word.length - 1 ? [word.slice(eq + 1)] : [];
  });
}

/** The kernel command line as a log may keep it: every secret parameter's value replaced. */
export function redactCmdline(text: string): string {
  return tokenizeCmdline(text).map((word) => {
    const eq = word.indexOf('=');
    return eq > 0 && SECRET_KEY_NAME.test(word.slice(0, eq)) ? `${word.slice(0, eq)}=${REDACTED}` : word;
  }).join(' ');
}

/**
 * Shorter values are not scrubbed: replacing every "abc" in every line would
 * garble the log and tell a reader the secret anyway. The structured net still
 * catches them by name.
 */
export const MIN_SCRUBBED_LENGTH = 4;

/** Replaces known secret values in text, raw and as they appear inside JSON strings. */
export class SecretScrubber {
  readonly #forms = new Set<string>();
  #pattern: RegExp | undefined;

  add(values: readonly string[]): void {
    let added = false;
    for (const v of values) {
      if (v.length < MIN_SCRUBBED_LENGTH) continue;
      for (const form of [v, JSON.stringify(v).slice(1, -1)]) {
        if (!this.#forms.has(form)) { this.#forms.add(form); added = true; }
      }
    }
    if (!added) return;
    // Longest first, so a secret that contains another is replaced whole.
    const alternatives = [...this.#forms].sort((a, b) => b.length - a.length).map((f) => f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    this.#pattern = new RegExp(alternatives.join('|'), 'g');
  }

  addConfig(config: K3OSConfig): void { this.add(secretValues(config)); }

  scrub(text: string): string {
    return this.#pattern ? text.replace(this.#pattern, REDACTED) : text;
  }

  /** A JSON-shaped value with every string scrubbed (control API answers). */
  scrubValue<T>(value: T): T {
    if (!this.#pattern) return value;
    const walk = (v: unknown): unknown => {
      if (typeof v === 'string') return this.scrub(v);
      if (Array.isArray(v)) return v.map(walk);
      if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
      return v;
    };
    return walk(value) as T;
  }
}
