import { applyConsoleLogLevel } from './console.ts';
import { task, type Phase } from './types.ts';

const loadConfig = task('loadConfig', async (ctx, log) => {
  ctx.facts.config = await ctx.seams.config.load(ctx, log);
});

const applyInitrd = task('applyInitrd', (ctx, log) => ctx.seams.config.apply('initrd', ctx.facts.config ?? {}, ctx, log));
const applyBoot = task('applyBoot', (ctx, log) => ctx.seams.config.apply('boot', ctx.facts.config ?? {}, ctx, log));

export const config: Phase = { name: 'config', tasks: [loadConfig, applyConsoleLogLevel, applyInitrd, applyBoot] };
