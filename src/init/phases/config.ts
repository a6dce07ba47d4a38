// config: the node's config read, the console's level from it, the boot
// prompt's answer, then the initrd and boot config phases. The prompt is
// answered after the config is read and before any of it is applied: the
// window overlaps as much of the boot as can run without effects an operator
// might want to avoid.
import { resolveConsoleLogLevel, type SettingWarning } from '../console/settings.ts';
import { applyConfig, readNodeConfig } from '../node-config.ts';
import { task } from './types.ts';

export const loadConfig = task('loadConfig', async (ctx, log) => {
  ctx.node.configInEffect(await readNodeConfig(ctx, log));
});

/** The config can set the level too; the kernel argument still wins. */
export const applyConsoleLogLevel = task('applyConsoleLogLevel', (ctx, log) => {
  const warnings: SettingWarning[] = [];
  const level = resolveConsoleLogLevel(ctx.node.cmdline.consoleLogLevel, ctx.node.config?.k3os?.console_log_level, warnings);
  ctx.consoleLog?.setLevel(level);
  // The command line's own warning was given in earlyMounts.
  for (const w of warnings.filter((x) => x.message.startsWith('config '))) log.warn({ code: w.code }, w.message);
});

export const awaitRecoveryPrompt = task('awaitRecoveryPrompt', async (ctx, log) => {
  const pressed = await ctx.prompt.answer();
  if (!pressed || ctx.node.mode === 'recovery') return;
  ctx.node.modeChosen('recovery', 'recovery menu asked for at the boot prompt');
  log.info({ mode: 'recovery' }, 'key pressed at the boot prompt: recovery');
});

export const applyInitrd = task('applyInitrd', (ctx, log) => applyConfig('initrd', ctx, log));
export const applyBoot = task('applyBoot', (ctx, log) => applyConfig('boot', ctx, log));
