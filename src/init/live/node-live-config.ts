// LiveConfig as PID 1 runs it: the appliers' context that boot uses, and a
// k3s restart that declares k3s again from the new config, as the services
// phase declared it.
import { applyContext } from '../config-seam.ts';
import type { Logger } from '../log/logger.ts';
import type { BootContext } from '../phases/types.ts';
import { k3sService, withNodeIp } from '../services/k3s.ts';
import { LiveConfig } from './live-config.ts';

export function createNodeLiveConfig(ctx: BootContext, log: Logger): LiveConfig {
  return new LiveConfig({
    ctx,
    log,
    root: '/',
    applyContext: applyContext(ctx, log),
    kernelIsOurs: ctx.facts.runtime === 'machine' || ctx.env.K3OS_CONTAINER_APPLY === '1',
    async restartK3s(next) {
      const cmd = ctx.seams.config.k3s(next, ctx.facts.mode ?? 'live');
      const decl = k3sService({ ...cmd, argv: withNodeIp(cmd.argv, ctx.facts.nodeIp), bin: ctx.env.K3OS_K3S_BIN ?? '/usr/bin/k3s', logFile: ctx.paths.k3sLog });
      log.info({ args: decl.argv.slice(1, 2) }, 'config: restarting k3s with the new command line');
      const runner = await ctx.supervisor.replace(decl);
      await runner.started;
      if (runner.pid !== null) ctx.facts.k3sPid = runner.pid;
    },
  });
}
