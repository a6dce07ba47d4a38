// The node's config as PID 1 loads and applies it (src/apply does the work):
// read in k3OS merge order with the last good config on errors, then the
// initrd, boot and runtime config phases, each in its boot phase.
import { applyPhase, loadNodeConfig, type ApplyContext } from '../apply/index.ts';
import { formatIssue, type ConfigPhase, type K3OSConfig } from '../config/index.ts';
import type { ExitStatus } from '../sys/types.ts';
import type { Logger } from './log/logger.ts';
import type { BootContext } from './phases/types.ts';
import { SERVICE_PATH } from './supervisor/types.ts';

export function applyContext(ctx: Pick<BootContext, 'sys'>, log: Logger): ApplyContext {
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

/** A container shares the host's kernel: hostname, sysctls and modules would change the host. */
export const kernelIsOurs = (ctx: Pick<BootContext, 'node' | 'env'>): boolean =>
  ctx.node.runtime === 'machine' || ctx.env.K3OS_CONTAINER_APPLY === '1';

export async function readNodeConfig(ctx: Pick<BootContext, 'node' | 'secrets'>, log: Logger): Promise<K3OSConfig> {
  // The command line init already read: a container's is K3OS_CMDLINE, not the host's.
  const decision = await loadNodeConfig('/', { cmdline: ctx.node.cmdline.text });
  ctx.secrets.addConfig(decision.config);
  for (const w of decision.warnings) log.warn({ issue: w }, `config: ${formatIssue(w)}`);
  for (const e of decision.errors) log.error({ issue: e }, `config: ${formatIssue(e)}`);
  log.info({ origin: decision.origin }, `config loaded (${decision.origin})`);
  return decision.config;
}

/** Applies one config phase of the effective config; a failed step is logged, never fatal. */
export async function applyConfig(phase: ConfigPhase, ctx: BootContext, log: Logger): Promise<void> {
  if (!kernelIsOurs(ctx)) {
    log.info(`config ${phase}: not applied in a container (K3OS_CONTAINER_APPLY=1 to apply)`);
    return;
  }
  const report = await applyPhase(phase, ctx.node.config ?? {}, applyContext(ctx, log));
  if (report.errors.length > 0) log.error({ errors: report.errors.map((e) => e.message) }, `config ${phase}: ${report.errors.length} steps failed`);
  else log.info({ steps: report.entries.length }, `config ${phase} applied`);
}
