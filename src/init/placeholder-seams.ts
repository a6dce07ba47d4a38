// Seams whose helpers' work has not landed yet. Each one says what it waits
// for and does only what is real.
import type { AgentSeam } from './seams.ts';

export const awaitingAgent: AgentSeam = {
  name: 'agent (awaiting issue 6)',
  services() {
    return [];
  },
};
