// network: links, addresses, DNS and time, then the runtime config phase,
// which k3OS ran once the network was up.
import { startBootNetwork } from '../network/bring-up.ts';
import { applyConfig } from '../node-config.ts';
import { task } from './types.ts';

export const bringUpNetwork = task('bringUpNetwork', async (ctx, log) => {
  const manager = await startBootNetwork(ctx, log);
  // Leases released and the clock owner stopped: a step of the shutdown ladder.
  if (manager) ctx.own('network', () => manager.stop());
});

export const applyRuntime = task('applyRuntime', (ctx, log) => applyConfig('runtime', ctx, log));
