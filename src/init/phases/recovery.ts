// recovery: the recovery menu on the consoles (a shell where the k3os program
// is missing), for k3os.mode=recovery, the boot prompt, or a failed boot.
import { recoveryConsoles } from '../console/services.ts';
import { guardRecoveryShell as guardShell } from '../console/rancher.ts';
import { readNodeConfig } from '../node-config.ts';
import { task } from './types.ts';

export const guardRecoveryShell = task('guardRecoveryShell', (ctx, log) => {
  if (ctx.node.runtime !== 'machine') return undefined;
  const config = ctx.node.config;
  return guardShell(() => (config ? Promise.resolve(config) : readNodeConfig(ctx, log)), log);
});

export const enterRecoveryConsole = task('enterRecoveryConsole', async (ctx) => {
  for (const decl of recoveryConsoles(ctx.node, ctx.host.exists, ctx.node.recoveryReason ?? 'recovery mode')) {
    if (ctx.supervisor.get(decl.id) === undefined) await ctx.supervisor.add(decl);
  }
});
