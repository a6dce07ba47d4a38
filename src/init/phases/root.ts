import fs from 'node:fs';
import { planRoot } from '../mounts.ts';
import { applyMounts, ensureDir } from './mount-exec.ts';
import { task, type Phase } from './types.ts';

const mountRoot = task('mountRoot', (ctx, log) => {
  const plan = planRoot({
    runtime: ctx.facts.runtime,
    mode: ctx.facts.mode ?? 'live',
    source: ctx.facts.state,
    etcSeed: ctx.host.exists(ctx.paths.etcSeed) ? ctx.paths.etcSeed : null,
  });
  for (const dir of plan.mountpoints) ensureDir(dir, log);
  applyMounts(ctx, log, plan.mounts);
  if (plan.etc.seed !== null) {
    fs.cpSync(plan.etc.seed, '/etc', { recursive: true, verbatimSymlinks: true, force: true });
    log.debug({ seed: plan.etc.seed }, '/etc seeded');
  } else if (plan.etc.overlayLower !== null) {
    log.info(`/etc is an overlay of the host's ${plan.etc.overlayLower} (no seed at ${ctx.paths.etcSeed})`);
  } else if (ctx.facts.runtime === 'machine') {
    log.warn(`no /etc seed at ${ctx.paths.etcSeed}: /etc is empty`);
  }
});

/** From here on init.log is a file; what was logged so far is written first. */
const openInitLog = task('openInitLog', (ctx, log) => {
  ctx.initLog.open(ctx.paths.initLog);
  log.debug({ path: ctx.paths.initLog }, 'init log opened');
});

export const root: Phase = { name: 'root', tasks: [mountRoot, openInitLog] };
