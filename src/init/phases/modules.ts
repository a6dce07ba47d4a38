// modules: a machine's boot modules, before the mode phase looks for the state disk.
import { loadBootModules as loadModules } from '../boot-modules.ts';
import { task } from './types.ts';

export const loadBootModules = task('loadBootModules', (ctx, log) => loadModules(ctx.paths.bootModules, ctx.sys, log));
