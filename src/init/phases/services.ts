// services: k3s's manifests seeded, k3s started, then the agent, rancher's
// account and the console logins.
import { consoleLogins } from '../console/services.ts';
import { prepareRancher } from '../console/rancher.ts';
import { agentServices } from '../k3s/agent.ts';
import { IMAGE_MANIFESTS, seedK3sManifests as seedManifests } from '../k3s/manifests.ts';
import { declareK3s, standinNotice } from '../k3s/service.ts';
import type { Logger } from '../log/logger.ts';
import type { ServiceDecl } from '../supervisor/types.ts';
import { task, type BootContext } from './types.ts';

export const seedK3sManifests = task('seedK3sManifests', (ctx, log) => seedManifests(ctx.env.K3OS_IMAGE_MANIFESTS ?? IMAGE_MANIFESTS, log));

export const startK3s = task('startK3s', async (ctx, log) => {
  const standin = standinNotice();
  if (standin !== undefined) log.warn(`k3s is the stand-in, not the real k3s: ${standin}`);
  const decl = declareK3s(ctx, ctx.node.config ?? {});
  const runner = await ctx.supervisor.add(decl);
  await runner.started;
  if (runner.pid !== null) ctx.node.k3sStarted(runner.pid);
  log.info({ pid: runner.pid, args: decl.argv.slice(1, 2) }, `k3s ${decl.argv[1] ?? ''} started`);
});

export const startAgent = task('startAgent', (ctx, log) => supervise(ctx, agentServices(ctx), log));

/** Only a machine's consoles have logins; a container's terminal is whoever started it. */
export const prepareConsoleAccounts = task('prepareConsoleAccounts', (ctx, log) =>
  ctx.node.runtime === 'machine' ? prepareRancher(ctx.node.mode ?? 'live', ctx.node.config ?? {}, log) : undefined);

export const startLogins = task('startLogins', (ctx, log) => supervise(ctx, consoleLogins(ctx.node), log));

async function supervise(ctx: Pick<BootContext, 'supervisor'>, decls: readonly ServiceDecl[], log: Logger): Promise<void> {
  for (const d of decls) {
    await ctx.supervisor.add(d);
    log.debug({ id: d.id }, `${d.id} supervised`);
  }
}
