// LiveConfig as PID 1 runs it: the appliers' context that boot uses, and a
// k3s restart that declares k3s again from the new config, as the services
// phase declared it.
import type { K3OSConfig } from '../../config/schema.ts';
import { applyContext } from '../config-seam.ts';
import type { Logger } from '../log/logger.ts';
import type { BootContext } from '../phases/types.ts';
import { declareK3s } from '../services/k3s.ts';
import { LiveConfig } from './live-config.ts';

/** Replaces the running k3s with the one `next` declares (declareK3s, as at boot). */
export async function replaceK3s(ctx: Pick<BootContext, 'seams' | 'facts' | 'env' | 'paths' | 'supervisor'>, log: Pick<Logger, 'info'>, next: K3OSConfig): Promise<void> {
  const decl = declareK3s(ctx, next);
  log.info({ args: decl.argv.slice(1, 2) }, 'config: restarting k3s with the new command line');
  const runner = await ctx.supervisor.replace(decl);
  await runner.started;
  if (runner.pid !== null) ctx.facts.k3sPid = runner.pid;
}

export function createNodeLiveConfig(ctx: BootContext, log: Logger): LiveConfig {
  return new LiveConfig({
    ctx,
    log,
    root: '/',
    applyContext: applyContext(ctx, log),
    kernelIsOurs: ctx.facts.runtime === 'machine' || ctx.env.K3OS_CONTAINER_APPLY === '1',
    restartK3s: (next) => replaceK3s(ctx, log, next),
  });
}
