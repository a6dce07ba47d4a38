// `k3os` argument dispatch: parse, run, map the outcome to an exit code.
import { parseArgs, USAGE, UsageError } from './args.ts';
import { configCommand } from './config-command.ts';
import type { CliIO } from './config-command.ts';
import { exitCode } from './exit-code.ts';
import { applyCommand, CONTROL_USAGE, statusCommand } from './control-commands.ts';
import { debugCommand, DEBUG_USAGE } from './debug-command.ts';

export const main = async (argv: readonly string[], io: CliIO): Promise<number> => {
  try {
    if (argv[0] === 'status' || argv[0] === 'apply') return exitCode(await (argv[0] === 'status' ? statusCommand : applyCommand)(argv.slice(1), io));
    if (argv[0] === 'debug') return exitCode(await debugCommand(argv.slice(1), io));
    const cmd = parseArgs(argv);
    if (cmd.command === 'help') {
      io.out(`${USAGE}\n`);
      return 0;
    }
    return exitCode(await configCommand(cmd, io));
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    io.err(`k3os: ${err.message}\n`);
    if (err instanceof UsageError) io.err(`${argv[0] === 'status' || argv[0] === 'apply' ? CONTROL_USAGE : argv[0] === 'debug' ? DEBUG_USAGE : USAGE}\n`);
    return exitCode(err);
  }
};

