import { applyConsoleLogLevel, awaitRecoveryPrompt } from './console.ts';
import { task, type Phase } from './types.ts';

const loadConfig = task('loadConfig', async (ctx, log) => {
  ctx.facts.config = await ctx.seams.config.load(ctx, log);
});

const applyInitrd = task('applyInitrd', (ctx, log) => ctx.seams.config.apply('initrd', ctx.facts.config ?? {}, ctx, log));
const applyBoot = task('applyBoot', (ctx, log) => ctx.seams.config.apply('boot', ctx.facts.config ?? {}, ctx, log));

// The boot prompt is answered after the config is read and before any of it is applied: the
// window overlaps as much of the boot as can run without effects an operator might want to avoid.
export const config: Phase = { name: 'config', tasks: [loadConfig, applyConsoleLogLevel, awaitRecoveryPrompt, applyInitrd, applyBoot] };
