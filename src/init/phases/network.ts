import { task, type Phase } from './types.ts';

const bringUpNetwork = task('bringUpNetwork', (ctx, log) => ctx.seams.network.bringUp(ctx, log));
const applyRuntime = task('applyRuntime', (ctx, log) => ctx.seams.config.apply('runtime', ctx.facts.config ?? {}, ctx, log));

export const network: Phase = { name: 'network', tasks: [bringUpNetwork, applyRuntime] };
