import type { K3OSConfig } from '../../config/schema.ts';
import type { BootContext } from '../phases/types.ts';
import type { ServiceDecl } from '../supervisor/types.ts';

export const SERVICE_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
export const K3S_BIN = '/usr/bin/k3s';

/**
 * Adds --node-ip when the network phase learned one, unless the config's
 * k3s_args already choose it (`--node-ip X` or `--node-ip=X`).
 */
export function withNodeIp(argv: readonly string[], nodeIp: string | undefined): string[] {
  if (nodeIp === undefined || argv.some((a) => a === '--node-ip' || a.startsWith('--node-ip='))) return [...argv];
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
export function declareK3s(ctx: Pick<BootContext, 'seams' | 'facts' | 'env' | 'paths'>, config: K3OSConfig): ServiceDecl {
  const cmd = ctx.seams.config.k3s(config, ctx.facts.mode ?? 'live');
  return k3sService({ ...cmd, argv: withNodeIp(cmd.argv, ctx.facts.nodeIp), bin: ctx.env.K3OS_K3S_BIN ?? K3S_BIN, logFile: ctx.paths.k3sLog });
}
