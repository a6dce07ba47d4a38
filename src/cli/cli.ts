// `k3os` argument dispatch: parse, run, map the outcome to an exit code.
import { parseArgs, USAGE, UsageError } from './args.ts';
import { configCommand } from './config-command.ts';
import type { CliIO } from './config-command.ts';
import { exitCode } from './exit-code.ts';

export const main = async (argv: readonly string[], io: CliIO): Promise<number> => {
  try {
    const cmd = parseArgs(argv);
    if (cmd.command === 'help') {
      io.out(`${USAGE}\n`);
      return 0;
    }
    return exitCode(await configCommand(cmd, io));
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    io.err(`k3os: ${err.message}\n`);
    if (err instanceof UsageError) io.err(`${USAGE}\n`);
    return exitCode(err);
  }
};

