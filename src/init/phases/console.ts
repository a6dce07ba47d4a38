// Console tasks, each run by the phase that has what it needs: settings and the
// recovery prompt once the command line is read (earlyMounts), the config's log level and the
// prompt's answer once the config is read, before it is applied (config), and rancher's
// password field before the logins start (services).
import fs from 'node:fs';
import { passwordHash, shadowWithPassword } from '../../apply/password.ts';
import { RANCHER_UID, rancherPasswordField, shadowPasswordField } from '../console/accounts.ts';
import { cmdlineValue, parseConsoles } from '../console/cmdline.ts';
import { planRecoveryPrompt, startRecoveryPrompt, type RecoveryPrompt } from '../console/prompt.ts';
import { consoleSettings, resolveConsoleLogLevel, type SettingWarning } from '../console/settings.ts';
import type { Logger } from '../log/logger.ts';
import { task, type BootContext, type BootFacts } from './types.ts';

const RANCHER_HOME = '/home/rancher';

const prompts = new WeakMap<BootFacts, RecoveryPrompt>();

const warn = (log: Logger, warnings: readonly SettingWarning[]) => {
  for (const w of warnings) log.warn({ code: w.code }, w.message);
};

export const applyConsoleSettings = task('applyConsoleSettings', (ctx, log) => {
  const s = consoleSettings(ctx.facts.rawCmdline);
  ctx.consoleLog?.setLevel(s.logLevel);
  warn(log, s.warnings);
  const plan = planRecoveryPrompt({
    runtime: ctx.facts.runtime,
    recoveryRequested: s.recoveryRequested,
    promptMs: s.recoveryPromptMs,
    consoles: parseConsoles(ctx.facts.rawCmdline),
  });
  log.debug({ plan: plan.kind, logLevel: s.logLevel }, plan.kind === 'skip' ? `recovery prompt skipped: ${plan.reason}` : 'recovery prompt offered');
  prompts.set(ctx.facts, startRecoveryPrompt(plan));
});

/** Closes the prompt early (boot failed before its answer was read); the consoles go to recovery. */
export async function stopRecoveryPrompt(facts: BootFacts): Promise<void> {
  const p = prompts.get(facts);
  prompts.delete(facts);
  await p?.stop();
}

export const awaitRecoveryPrompt = task('awaitRecoveryPrompt', async (ctx, log) => {
  const p = prompts.get(ctx.facts);
  if (!p) return;
  const pressed = await p.pressed;
  prompts.delete(ctx.facts);
  if (!pressed || ctx.facts.mode === 'recovery') return;
  ctx.facts.mode = 'recovery';
  ctx.facts.recoveryReason = 'recovery menu asked for at the boot prompt';
  log.info({ mode: 'recovery' }, 'key pressed at the boot prompt: recovery');
});

/** The config can set the level too; the kernel argument still wins. */
export const applyConsoleLogLevel = task('applyConsoleLogLevel', (ctx, log) => {
  const warnings: SettingWarning[] = [];
  const level = resolveConsoleLogLevel(cmdlineValue(ctx.facts.rawCmdline, 'k3os.console_log_level'), ctx.facts.config?.k3os?.console_log_level, warnings);
  ctx.consoleLog?.setLevel(level);
  // The command line's own warning was given in earlyMounts.
  warn(log, warnings.filter((w) => w.message.startsWith('config ')));
});

/**
 * rancher's home, and rancher's password field when k3os.password is not set (the config's boot phase
 * wrote it when it is): empty in live mode, "*" otherwise. /etc is a fresh tmpfs
 * copy of the seed each boot, so this never outlives the boot.
 */
export const prepareConsoleAccounts = task('prepareConsoleAccounts', (ctx, log) => {
  if (ctx.facts.runtime !== 'machine') return;
  // /home is a fresh tmpfs (live) or a new state disk: login wants the home to exist.
  if (!fs.existsSync(RANCHER_HOME)) {
    fs.mkdirSync(RANCHER_HOME, { recursive: true, mode: 0o750 });
    fs.chownSync(RANCHER_HOME, RANCHER_UID, RANCHER_UID);
    log.debug({ path: RANCHER_HOME }, 'rancher home made');
  }
  if (ctx.facts.config?.k3os?.password) return;
  const field = rancherPasswordField(ctx.facts.mode ?? 'live', undefined);
  const shadow = fs.readFileSync('/etc/shadow', 'utf8');
  if (shadowPasswordField(shadow, 'rancher') === field) return;
  fs.writeFileSync('/etc/shadow.tmp', shadowWithPassword(shadow, 'rancher', field), { mode: 0o600 });
  fs.renameSync('/etc/shadow.tmp', '/etc/shadow');
  log.info({ uid: RANCHER_UID }, field === '' ? 'rancher logs in on the console without a password (live mode, no k3os.password)' : 'rancher has no password (keys only)');
});

/**
 * The recovery menu's root shell asks for k3os.password when one is set. Recovery can
 * come before the config's boot phase wrote it (k3os.mode=recovery, an early failure),
 * so it is read here; a config that cannot be read leaves the shell open, and says so.
 */
export async function guardRecoveryShell(ctx: BootContext): Promise<void> {
  if (ctx.facts.runtime !== 'machine') return;
  const log = ctx.log.child({ task: 'guardRecoveryShell' });
  try {
    const shadow = fs.readFileSync('/etc/shadow', 'utf8');
    if (shadowPasswordField(shadow, 'rancher')?.startsWith('$')) return;
    const config = ctx.facts.config ?? await ctx.seams.config.load(ctx, log);
    const password = config.k3os?.password;
    if (!password) return;
    fs.writeFileSync('/etc/shadow.tmp', shadowWithPassword(shadow, 'rancher', passwordHash(password)), { mode: 0o600 });
    fs.renameSync('/etc/shadow.tmp', '/etc/shadow');
    log.info('the recovery shell asks for k3os.password');
  } catch (err) {
    log.warn({ err }, 'recovery shell: k3os.password could not be read; the shell opens without a password');
  }
}
