// Seams whose helpers' work has not landed yet. Each one says what it waits
// for and does only what is real: no network is reported as up.
import type { AgentSeam, NetworkSeam } from './seams.ts';

export const awaitingNetwork: NetworkSeam = {
  name: 'network (awaiting issue 5)',
  async bringUp(_ctx, log) {
    log.warn('network: links, addresses, routes and DNS are not configured (awaiting issue 5)');
  },
};

export const awaitingAgent: AgentSeam = {
  name: 'agent (awaiting issue 6)',
  services() {
    return [];
  },
};
