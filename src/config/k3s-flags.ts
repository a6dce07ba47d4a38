// k3s's command line read as k3s's CLI reads it: `--flag value` or
// `--flag=value`, aliases allowed. One reader for every
// place that looks into k3s_args (the agent's kubeconfig and node name, the
// node IP, the secrets).

export interface FlagUse {
  flag: string;
  value: string;
  /** Where the value is: its own word, or after `=` in the flag's word. */
  index: number;
  inline: boolean;
}

/** Every use of one of `names` in a k3s argv (with or without the binary and the subcommand first). */
export function k3sFlagUses(argv: readonly string[], names: ReadonlySet<string> | readonly string[]): FlagUse[] {
  const has = (n: string) => (names instanceof Set ? names.has(n) : (names as readonly string[]).includes(n));
  const uses: FlagUse[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const eq = a.indexOf('=');
    if (eq > 0 && has(a.slice(0, eq))) uses.push({ flag: a.slice(0, eq), value: a.slice(eq + 1), index: i, inline: true });
    else if (has(a) && argv[i + 1] !== undefined) { uses.push({ flag: a, value: argv[i + 1]!, index: i + 1, inline: false }); i++; }
  }
  return uses;
}

/** The value k3s takes for a string flag: the last one given. */
export const k3sFlagValue = (argv: readonly string[], names: readonly string[]): string | undefined => k3sFlagUses(argv, names).at(-1)?.value;
