// Where other helpers' work plugs into boot. Each seam is an interface with
// an explicit placeholder that says what it is waiting for; none of them
// pretends work was done.
import type { K3OSConfig } from '../config/schema.ts';
import type { Logger } from './log/logger.ts';
import type { BootContext } from './phases/types.ts';
import type { ServiceDecl } from './supervisor/types.ts';
import type { Mode } from './types.ts';

export type ConfigPhase = 'initrd' | 'boot' | 'runtime';

/** Issue 4 (config helper): loading, applying phases, k3s arguments. */
export interface ConfigSeam {
  readonly name: string;
  load(ctx: BootContext, log: Logger): Promise<K3OSConfig>;
  apply(phase: ConfigPhase, config: K3OSConfig, ctx: BootContext, log: Logger): Promise<void>;
  k3s(config: K3OSConfig, mode: Mode): { argv: string[]; env: Record<string, string> };
}

/** Issue 5 (network helper): links, DHCP/static, DNS, time; resolves when online or timed out. */
export interface NetworkSeam {
  readonly name: string;
  /** Resolves when online or timed out; sets facts.nodeIp when it knows one. */
  bringUp(ctx: BootContext, log: Logger): Promise<void>;
  /** Releases leases and stops the clock owner: a step of the shutdown ladder. */
  stop(): Promise<void>;
}

/** Issue 7 (console helper): logins on consoles; recovery in place of a shell. */
export interface ConsoleSeam {
  readonly name: string;
  logins(ctx: BootContext): ServiceDecl[];
  recovery(ctx: BootContext, reason: string): ServiceDecl[];
}

/** Issue 6 (agent helper): the agent service, started once a kubeconfig exists. */
export interface AgentSeam {
  readonly name: string;
  services(ctx: BootContext): ServiceDecl[];
}

export interface Seams {
  config: ConfigSeam;
  network: NetworkSeam;
  console: ConsoleSeam;
  agent: AgentSeam;
}
