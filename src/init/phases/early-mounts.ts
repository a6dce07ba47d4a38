// earlyMounts: the API filesystems, then the kernel command line read once
// for every later phase, and the boot prompt offered as early as the
// consoles are known.
import { readBootCmdline } from '../cmdline.ts';
import { planRecoveryPrompt } from '../console/prompt.ts';
import { consoleSettings } from '../console/settings.ts';
import { cmdlineSecrets, redactCmdline } from '../log/redact.ts';
import { applyMounts } from '../mount-exec.ts';
import { pendingMounts, planMounts } from '../mounts.ts';
import { task } from './types.ts';

export const mountApiFilesystems = task('mountApiFilesystems', (ctx, log) => {
  let mounted: ReturnType<typeof ctx.host.readMounts> = [];
  try {
    mounted = ctx.host.readMounts();
  } catch {
    // /proc is not mounted yet: nothing is.
  }
  applyMounts(ctx.sys, log, pendingMounts(planMounts(ctx.node.runtime), mounted, ctx.node.runtime));
});

/**
 * A machine reads /proc/cmdline; a container's kernel command line is the
 * host's and means nothing to it, so it takes K3OS_CMDLINE from its env.
 */
export const readKernelCmdline = task('readKernelCmdline', (ctx, log) => {
  const text = ctx.node.runtime === 'machine' ? ctx.host.readCmdline() : (ctx.env.K3OS_CMDLINE ?? '');
  ctx.secrets.add(cmdlineSecrets(text));
  ctx.node.cmdlineRead(readBootCmdline(text));
  // init.log is on the state disk: k3os.password and k3os.token must not reach it.
  log.info({ cmdline: redactCmdline(text) }, 'kernel command line read');
});

export const applyConsoleSettings = task('applyConsoleSettings', (ctx, log) => {
  const s = consoleSettings(ctx.node.cmdline);
  ctx.consoleLog?.setLevel(s.logLevel);
  for (const w of s.warnings) log.warn({ code: w.code }, w.message);
  const plan = planRecoveryPrompt({
    runtime: ctx.node.runtime,
    recoveryRequested: s.recoveryRequested,
    promptMs: s.recoveryPromptMs,
    consoles: ctx.node.cmdline.consoles,
  });
  log.debug({ plan: plan.kind, logLevel: s.logLevel }, plan.kind === 'skip' ? `recovery prompt skipped: ${plan.reason}` : 'recovery prompt offered');
  ctx.prompt.offer(plan);
});
