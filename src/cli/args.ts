// `k3os` arguments, validated with zod: one schema per command, so a usage
// error says exactly what is wrong.
import { z } from 'zod';
import { ArgvError, parseFlags, type FlagSpec } from '../lib/argv.ts';

export const USAGE = `usage: k3os config [--root DIR] (--dump | --dump-json | --validate FILE... | --initrd | --boot)

  --dump            print the merged config as YAML (the config init applies)
  --dump-json       the same as JSON
  --validate FILE…  check config files; exit 1 when any has an error
  --initrd          apply the initrd phase
  --boot            apply the boot phase
  --root DIR        act on a system rooted at DIR (default /)`;

export class UsageError extends Error {}

const ACTIONS = ['dump', 'dump-json', 'validate', 'initrd', 'boot'] as const;

const CONFIG_FLAGS: FlagSpec = {
  ...Object.fromEntries(ACTIONS.map((a) => [`--${a}`, { name: a, kind: 'bool' as const }])),
  '--root': { name: 'root', kind: 'value' },
  '--help': { name: 'help', kind: 'bool' },
  '-h': { name: 'help', kind: 'bool' },
};

const configArgs = z.discriminatedUnion('action', [
  z.object({ action: z.literal('validate'), root: z.string().min(1), files: z.array(z.string().min(1)).min(1, '--validate needs at least one FILE') }),
  z.object({ action: z.enum(['dump', 'dump-json', 'initrd', 'boot']), root: z.string().min(1), files: z.array(z.string()).max(0, 'only --validate takes files') }),
]);

export type CliCommand = { command: 'help' } | ({ command: 'config' } & z.infer<typeof configArgs>);

export const parseArgs = (argv: readonly string[]): CliCommand => {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') return { command: 'help' };
  if (command !== 'config') throw new UsageError(`unknown command "${command}"`);
  let parsed;
  try {
    parsed = parseFlags(rest, CONFIG_FLAGS, { positionals: true });
  } catch (e) {
    throw new UsageError(e instanceof ArgvError ? e.message.replace(/^unknown argument/, 'unknown option') : String(e));
  }
  const { values, positionals: files } = parsed;
  if (values.help) return { command: 'help' };
  const actions = ACTIONS.filter((a) => values[a]);
  const root = typeof values.root === 'string' ? values.root : '/';
  if (actions.length !== 1) {
    throw new UsageError(actions.length === 0 ? 'config needs one of --dump, --dump-json, --validate, --initrd, --boot' : `choose one of ${actions.map((x) => `--${x}`).join(', ')}`);
  }
  const r = configArgs.safeParse({ action: actions[0], root, files });
  if (!r.success) throw new UsageError(r.error.issues.map((i) => i.message).join('; '));
  return { command: 'config', ...r.data };
};
