// root: the node's root layout mounted (read-only /usr, tmpfs /etc, the
// persistent directories from the state), then init.log opened on it.
import fs from 'node:fs';
import { applyMounts, ensureDir, seedEtc } from '../mount-exec.ts';
import { planRoot } from '../mounts.ts';
import { task } from './types.ts';

export const mountRoot = task('mountRoot', (ctx, log) => {
  const plan = planRoot({
    runtime: ctx.node.runtime,
    mode: ctx.node.mode ?? 'live',
    source: ctx.node.state,
    etcSeed: ctx.host.exists(ctx.paths.etcSeed) ? ctx.paths.etcSeed : null,
  });
  for (const dir of plan.mountpoints) ensureDir(dir, log);
  applyMounts(ctx.sys, log, plan.mounts);
  for (const dir of plan.privateDirs) fs.chmodSync(dir, 0o700);
  if (plan.etc.seed !== null) {
    seedEtc(plan.etc.seed);
    log.debug({ seed: plan.etc.seed }, '/etc seeded');
  } else if (plan.etc.overlayLower !== null) {
    log.info(`/etc is an overlay of the host's ${plan.etc.overlayLower} (no seed at ${ctx.paths.etcSeed})`);
  } else if (ctx.node.runtime === 'machine') {
    log.warn(`no /etc seed at ${ctx.paths.etcSeed}: /etc is empty`);
  }
});

/** From here on init.log is a file; what was logged so far is written first. */
export const openInitLog = task('openInitLog', (ctx, log) => {
  ctx.initLog.open(ctx.paths.initLog);
  log.debug({ path: ctx.paths.initLog }, 'init log opened');
});
