// The config helper's work (src/apply) behind the config seam: load the
// node's config from disk (k3OS merge order, last good on errors), apply the
// initrd/boot/runtime phases, and k3s's command line.
import { applyPhase, k3sArgs, loadNodeConfig, type ApplyContext } from '../apply/index.ts';
import { formatIssue } from '../config/index.ts';
import type { ExitStatus } from '../sys/types.ts';
import type { Logger } from './log/logger.ts';
import type { BootContext } from './phases/types.ts';
import type { ConfigSeam } from './seams.ts';
import { SERVICE_PATH } from './services/k3s.ts';

export function applyContext(ctx: BootContext, log: Logger): ApplyContext {
  return {
    sys: ctx.sys,
    root: '/',
    log,
    // PID 1 never uses child_process: commands run through the addon and the reaper.
    run: (argv) => new Promise<ExitStatus>((resolve, reject) => {
      try {
        // spawn does no PATH search; the command lists name `sh`, which the image has as /bin/sh.
        const file = argv[0] === 'sh' ? '/bin/sh' : argv[0];
        const pid = ctx.sys.spawn({ ...(file ? { file } : {}), argv, env: { PATH: SERVICE_PATH, HOME: '/root' } });
        ctx.sys.reaper.onExit(pid, resolve);
      } catch (err) {
        reject(err);
      }
    }),
  };
}

export const nodeConfig: ConfigSeam = {
  name: 'config (src/apply)',
  async load(ctx, log) {
    // The command line init already read: a container's is K3OS_CMDLINE, not the host's.
    const decision = await loadNodeConfig('/', { cmdline: ctx.facts.rawCmdline });
    for (const w of decision.warnings) log.warn({ issue: w }, `config: ${formatIssue(w)}`);
    for (const e of decision.errors) log.error({ issue: e }, `config: ${formatIssue(e)}`);
    log.info({ origin: decision.origin }, `config loaded (${decision.origin})`);
    return decision.config;
  },
  async apply(phase, config, ctx, log) {
    // A container shares the host's kernel: hostname, sysctls and modules would change the host.
    if (ctx.facts.runtime !== 'machine' && ctx.env.K3OS_CONTAINER_APPLY !== '1') {
      log.info(`config ${phase}: not applied in a container (K3OS_CONTAINER_APPLY=1 to apply)`);
      return;
    }
    const report = await applyPhase(phase, config, applyContext(ctx, log));
    if (report.errors.length > 0) log.error({ errors: report.errors.map((e) => e.message) }, `config ${phase}: ${report.errors.length} steps failed`);
    else log.info({ steps: report.entries.length }, `config ${phase} applied`);
  },
  k3s(config, mode) {
    return k3sArgs(config, mode);
  },
};
