// The seams as they are until the helpers' work lands. Each one says what it
// waits for and does only what is real: no network is reported as up, no
// config as applied.
import type { BootContext } from './phases/types.ts';
import type { AgentSeam, ConfigSeam, ConsoleSeam, NetworkSeam, Seams } from './seams.ts';
import { findShell, recoveryShell } from './services/recovery-shell.ts';

export const awaitingConfig: ConfigSeam = {
  name: 'config (awaiting issue 4)',
  async load(_ctx, log) {
    log.warn('config: not loaded (awaiting issue 4); booting with defaults');
    return {};
  },
  async apply(phase, _config, _ctx, log) {
    log.warn(`config: ${phase} phase not applied (awaiting issue 4)`);
  },
  k3s(config) {
    const k = config.k3os ?? {};
    return { argv: [k.server_url ? 'agent' : 'server'], env: {} };
  },
};

export const awaitingNetwork: NetworkSeam = {
  name: 'network (awaiting issue 5)',
  async bringUp(_ctx, log) {
    log.warn('network: links, addresses, routes and DNS are not configured (awaiting issue 5)');
  },
};

export const shellConsole: ConsoleSeam = {
  name: 'console (recovery shell; menu awaiting issue 7)',
  logins(_ctx: BootContext) {
    return [];
  },
  recovery(ctx, _reason) {
    return [recoveryShell({ runtime: ctx.facts.runtime, shell: findShell(ctx.host.exists) })];
  },
};

export const awaitingAgent: AgentSeam = {
  name: 'agent (awaiting issue 6)',
  services() {
    return [];
  },
};

export const placeholderSeams = (): Seams => ({
  config: awaitingConfig, network: awaitingNetwork, console: shellConsole, agent: awaitingAgent,
});
