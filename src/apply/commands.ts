// init_cmd, boot_cmd, run_cmd: each item runs as `sh -c ITEM`, in order,
// through the injected runner; the first failure stops that list and is
// reported (k3OS's ExecuteCommand did the same).
import { describeExit } from '../sys/exit-status.ts';
import type { ExitStatus } from '../sys/types.ts';
import type { ApplyContext, StepOutcome } from './context.ts';
import { applied, failed, skipped } from './context.ts';

export const runCommands = async (list: readonly string[] | undefined, ctx: ApplyContext): Promise<StepOutcome[]> => {
  if (!list || list.length === 0) return [skipped('no commands configured')];
  const out: StepOutcome[] = [];
  for (const [i, cmd] of list.entries()) {
    let status: ExitStatus;
    try {
      status = await ctx.run(['sh', '-c', cmd]);
    } catch (e) {
      out.push(failed(`command ${i + 1}/${list.length} \`${cmd}\` could not start`, e));
      return out;
    }
    if (status.code !== 0) {
      out.push(failed(`command ${i + 1}/${list.length} \`${cmd}\``, new Error(`\`${cmd}\` failed: ${describeExit(status)}; ${list.length - i - 1} later command(s) not run`)));
      return out;
    }
    out.push(applied(`\`${cmd}\``));
  }
  return out;
};
