import { guardRecoveryShell } from './console.ts';
import type { BootContext } from './types.ts';
import { task, type Phase } from './types.ts';

/** Starts the recovery menu on the consoles (a shell where the k3os program is missing). */
export async function startRecovery(ctx: BootContext, reason: string): Promise<void> {
  await guardRecoveryShell(ctx);
  for (const decl of ctx.seams.console.recovery(ctx, reason)) {
    if (ctx.supervisor.get(decl.id) === undefined) await ctx.supervisor.add(decl);
  }
}

const enterRecoveryConsole = task('enterRecoveryConsole', (ctx) =>
  startRecovery(ctx, ctx.facts.recoveryReason ?? 'recovery mode'));

export const recovery: Phase = { name: 'recovery', tasks: [enterRecoveryConsole] };
