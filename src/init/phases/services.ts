import { k3sService, withNodeIp } from '../services/k3s.ts';
import { prepareConsoleAccounts } from './console.ts';
import { seedK3sManifests } from './manifests.ts';
import { task, type BootContext, type Phase } from './types.ts';

const startK3s = task('startK3s', async (ctx, log) => {
  const cmd = ctx.seams.config.k3s(ctx.facts.config ?? {}, ctx.facts.mode ?? 'live');
  const decl = k3sService({ ...cmd, argv: withNodeIp(cmd.argv, ctx.facts.nodeIp), bin: ctx.env.K3OS_K3S_BIN ?? '/usr/bin/k3s', logFile: ctx.paths.k3sLog });
  const runner = await ctx.supervisor.add(decl);
  await runner.started;
  if (runner.pid !== null) ctx.facts.k3sPid = runner.pid;
  log.info({ pid: runner.pid, args: cmd.argv.slice(0, 1) }, `k3s ${cmd.argv[0] ?? ''} started`);
});

const startAgent = task('startAgent', async (ctx, log) => addAll(ctx, ctx.seams.agent.services(ctx), log));
const startLogins = task('startLogins', async (ctx, log) => addAll(ctx, ctx.seams.console.logins(ctx), log));

async function addAll(ctx: BootContext, decls: ReturnType<BootContext['seams']['agent']['services']>, log: { debug(o: object, m: string): void }) {
  for (const d of decls) {
    await ctx.supervisor.add(d);
    log.debug({ id: d.id }, `${d.id} supervised`);
  }
}

export const services: Phase = { name: 'services', tasks: [seedK3sManifests, startK3s, startAgent, prepareConsoleAccounts, startLogins] };
