import fs from 'node:fs';
import { declareK3s } from '../services/k3s.ts';
import { prepareConsoleAccounts } from './console.ts';
import { seedK3sManifests } from './manifests.ts';
import { task, type BootContext, type Phase } from './types.ts';

/** Written by the image build when no K3S_BIN was given (docs/image.md). */
const STANDIN_MARKER = '/usr/lib/k3os/k3s-is-standin';

const startK3s = task('startK3s', async (ctx, log) => {
  if (fs.existsSync(STANDIN_MARKER)) log.warn(`k3s is the stand-in, not the real k3s: ${fs.readFileSync(STANDIN_MARKER, 'utf8').trim()}`);
  const decl = declareK3s(ctx, ctx.facts.config ?? {});
  const runner = await ctx.supervisor.add(decl);
  await runner.started;
  if (runner.pid !== null) ctx.facts.k3sPid = runner.pid;
  log.info({ pid: runner.pid, args: decl.argv.slice(1, 2) }, `k3s ${decl.argv[1] ?? ''} started`);
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
