// Command-line flags as every k3os program reads them (`--flag value`,
// `--flag=value`, bare booleans), written once: the CLI's commands and the
// agent each declare their flags and validate the values with their own zod
// schema. k3s's command line is read as k3s reads it: src/config/k3s-flags.ts.

export type FlagKind = 'bool' | 'value';

/** Flag spelling -> the name it is stored under and whether it takes a value. */
export type FlagSpec = Readonly<Record<string, { name: string; kind: FlagKind }>>;

export interface ParsedFlags {
  values: Record<string, string | true>;
  positionals: string[];
}

export class ArgvError extends Error {}

/** Reads `argv` against `spec`; a word that is not a flag is a positional only when `positionals` allows it. */
export function parseFlags(argv: readonly string[], spec: FlagSpec, o: { positionals?: boolean } = {}): ParsedFlags {
  const values: Record<string, string | true> = {};
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!;
    const eq = word.indexOf('=');
    const flag = word.startsWith('-') && eq > 0 ? word.slice(0, eq) : word;
    const inline = flag === word ? undefined : word.slice(eq + 1);
    const known = spec[flag];
    if (!known) {
      if (o.positionals && !word.startsWith('-')) { positionals.push(word); continue; }
      throw new ArgvError(`unknown argument ${word}`);
    }
    if (known.kind === 'bool') {
      if (inline !== undefined) throw new ArgvError(`${flag} takes no value`);
      values[known.name] = true;
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined) throw new ArgvError(`${flag} needs a value`);
    values[known.name] = value;
  }
  return { values, positionals };
}
