import { readFileSync } from 'node:fs';
import type { K3OSConfig } from '../../config/schema.ts';
import { k3sArgs } from '../../apply/index.ts';
import { k3sFlagValue } from '../../config/k3s-flags.ts';
import type { Logger } from '../log/logger.ts';
import type { BootContext } from '../phases/types.ts';
import { SERVICE_PATH, type ServiceDecl } from '../supervisor/types.ts';

export const K3S_BIN = '/usr/bin/k3s';

/**
 * Adds --node-ip when the network phase learned one, unless the config's
 * k3s_args already choose it (`--node-ip X` or `--node-ip=X`).
 */
export function withNodeIp(argv: readonly string[], nodeIp: string | undefined): string[] {
  if (nodeIp === undefined || k3sFlagValue(argv, ['--node-ip']) !== undefined) return [...argv];
  return [...argv, '--node-ip', nodeIp];
}

/** k3s server|agent, restarted forever; arguments and env come from the config. */
export function k3sService(o: { bin: string; argv: readonly string[]; env: Readonly<Record<string, string>>; logFile: string }): ServiceDecl {
  return {
    id: 'k3s',
    argv: [o.bin, ...o.argv],
    env: { PATH: SERVICE_PATH, HOME: '/root', ...o.env },
    dependsOn: [],
    restart: 'forever',
    // k3s drains its containerd shims on SIGTERM; a node shutdown waits this long.
    stopTimeoutMs: 20_000,
    logFile: o.logFile,
  };
}

/**
 * k3s as `config` declares it: the config's k3s command (server|agent,
 * labels, taints, K3S_URL...) plus the node IP the network learned. Boot
 * starts this and a live config change replaces k3s with it, so both run
 * the same command line for the same config.
 */
export function declareK3s(ctx: Pick<BootContext, 'node' | 'env' | 'paths'>, config: K3OSConfig): ServiceDecl {
  const cmd = k3sArgs(config, ctx.node.mode ?? 'live');
  return k3sService({ ...cmd, argv: withNodeIp(cmd.argv, ctx.node.nodeIp), bin: ctx.env.K3OS_K3S_BIN ?? K3S_BIN, logFile: ctx.paths.k3sLog });
}

/** Written by the image build when no K3S_BIN was given (docs/image.md). */
const STANDIN_MARKER = '/usr/lib/k3os/k3s-is-standin';

/** What the image says about a stand-in k3s, when it carries one instead of the real k3s. */
export function standinNotice(): string | undefined {
  try {
    return readFileSync(STANDIN_MARKER, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** Replaces the running k3s with the one `next` declares (declareK3s, as at boot). */
export async function replaceK3s(ctx: Pick<BootContext, 'node' | 'env' | 'paths' | 'supervisor'>, log: Pick<Logger, 'info'>, next: K3OSConfig): Promise<void> {
  const decl = declareK3s(ctx, next);
  log.info({ args: decl.argv.slice(1, 2) }, 'config: restarting k3s with the new command line');
  const runner = await ctx.supervisor.replace(decl);
  await runner.started;
  if (runner.pid !== null) ctx.node.k3sStarted(runner.pid);
}
