import { parseCmdline, readInitCmdline } from '../cmdline.ts';
import { pendingMounts, planMounts } from '../mounts.ts';
import { applyConsoleSettings } from './console.ts';
import { applyMounts } from './mount-exec.ts';
import { task, type Phase } from './types.ts';

const mountApiFilesystems = task('mountApiFilesystems', (ctx, log) => {
  let mounted: ReturnType<typeof ctx.host.readMounts> = [];
  try {
    mounted = ctx.host.readMounts();
  } catch {
    // /proc is not mounted yet: nothing is.
  }
  applyMounts(ctx, log, pendingMounts(planMounts(ctx.facts.runtime), mounted, ctx.facts.runtime));
});

/**
 * A machine reads /proc/cmdline; a container's kernel command line is the
 * host's and means nothing to it, so it takes K3OS_CMDLINE from its env.
 */
const readKernelCmdline = task('readKernelCmdline', (ctx, log) => {
  const raw = ctx.facts.runtime === 'machine' ? ctx.host.readCmdline() : (ctx.env.K3OS_CMDLINE ?? '');
  ctx.facts.rawCmdline = raw;
  ctx.facts.cmdline = readInitCmdline(parseCmdline(raw));
  log.info({ cmdline: raw }, 'kernel command line read');
});

export const earlyMounts: Phase = { name: 'earlyMounts', tasks: [mountApiFilesystems, readKernelCmdline, applyConsoleSettings] };
