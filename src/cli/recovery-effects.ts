// What the recovery menu does on the node itself: config.d files, signals to PID 1,
// the shadow password check, the root shell, and its log.
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { timingSafeEqual } from 'node:crypto';
import { sha512Crypt } from '../config/sha512-crypt.ts';
import type { ControlPowerAction } from '../api/contract.ts';
import type { RecoveryActions, RecoveryLog, ShellAuth } from './recovery-session.ts';

export const CONFIG_D = '/var/lib/rancher/k3os/config.d';
/** Beside config.d, not inside it: the config loader reads every file in config.d. */
export const CONFIG_D_DISABLED = '/var/lib/rancher/k3os/config.d.disabled';
export const RECOVERY_LOG = '/var/log/k3os/recovery.log';
const PASSWORD_USER = 'rancher';

/** The signals busybox reboot/poweroff send to init; PID 1 maps them to its shutdown. */
export const INIT_SIGNALS: Record<ControlPowerAction, NodeJS.Signals> = { reboot: 'SIGTERM', poweroff: 'SIGUSR2' };

/**
 * Only k3os init gets the fallback signal: run by hand on another system (a developer's
 * machine, a container), `k3os recovery` must never signal someone else's init.
 */
export function isK3osInit(procCmdline: string): boolean {
  // The image runs the loader, a checkout the bundle or the source.
  return procCmdline.split('\0').some((a) => /(^|\/)(init-loader|init)\.cjs$/.test(a) || /(^|\/)src\/init\/main\.ts$/.test(a));
}

function readInitCmdline(): string {
  try { return readFileSync('/proc/1/cmdline', 'utf8'); } catch { return ''; }
}

/** `name.<timestamp>` so disabling the same name twice keeps both copies. */
export function disabledName(name: string, now: Date): string {
  return `${name}.${now.toISOString().replace(/[:.]/g, '-')}`;
}

/**
 * How the root shell authenticates, from rancher's shadow field (k3os.password sets it):
 * a $6$ hash asks for that password; empty, "*" or "!" (no password configured) opens
 * the shell, as k3OS's rescue shell did for whoever holds the console. Other hash
 * schemes cannot be checked here, so the shell stays closed rather than open.
 */
export function shellAuthFromShadow(shadow: string | undefined): ShellAuth {
  if (shadow === undefined) return { kind: 'none' };
  const field = shadow.split('\n').map((l) => l.split(':')).find((c) => c[0] === PASSWORD_USER && c.length >= 2)?.[1];
  if (field === undefined || field === '' || field === '*' || field.startsWith('!')) return { kind: 'none' };
  if (!field.startsWith('$6$')) {
    return { kind: 'unavailable', reason: `the ${PASSWORD_USER} password hash is not SHA-512 crypt ($6$); set k3os.password in clear text or as a $6$ hash` };
  }
  return {
    kind: 'password',
    verify(password) {
      const a = Buffer.from(sha512Crypt(password, field));
      const b = Buffer.from(field);
      return a.length === b.length && timingSafeEqual(a, b);
    },
  };
}

export interface RecoveryEffectsOptions {
  configDir?: string;
  disabledDir?: string;
  shadowPath?: string;
  shell?: readonly string[];
  now?: () => Date;
}

export function createRecoveryActions(o: RecoveryEffectsOptions = {}): RecoveryActions {
  const configDir = o.configDir ?? CONFIG_D;
  const disabledDir = o.disabledDir ?? CONFIG_D_DISABLED;
  const shadowPath = o.shadowPath ?? '/etc/shadow';
  const shell = o.shell ?? ['/bin/sh', '-l'];
  const now = o.now ?? (() => new Date());
  return {
    async listConfigFiles() {
      let names: string[];
      try { names = readdirSync(configDir); } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw e;
      }
      return names.filter((n) => statSync(join(configDir, n)).isFile()).sort();
    },
    async disableConfigFile(name) {
      if (name.includes('/') || name === '.' || name === '..') throw new Error(`not a file name: ${name}`);
      mkdirSync(disabledDir, { recursive: true, mode: 0o700 });
      const to = join(disabledDir, disabledName(name, now()));
      renameSync(join(configDir, name), to);
      return to;
    },
    signalInit(action) {
      const cmdline = readInitCmdline();
      if (!isK3osInit(cmdline)) throw new Error(`PID 1 is not k3os init (${cmdline.split('\0')[0] || 'unknown'}); not signalling it`);
      process.kill(1, INIT_SIGNALS[action]);
    },
    shellAuth() {
      let shadow: string | undefined;
      try { shadow = readFileSync(shadowPath, 'utf8'); } catch { shadow = undefined; }
      return shellAuthFromShadow(shadow);
    },
    async shell() {
      const r = spawnSync(shell[0]!, shell.slice(1), { stdio: 'inherit', env: { ...process.env, HOME: '/root', PS1: 'recovery# ' } });
      if (r.error) throw r.error;
      return r.status;
    },
  };
}

/**
 * Every choice goes to the kernel log (always there, even when /var is not mounted,
 * and PID 1's log collects it) and to /var/log/k3os/recovery.log when /var is writable.
 */
export function createRecoveryLog(consoleName: string, o: { logPath?: string; kmsgPath?: string; now?: () => Date } = {}): RecoveryLog {
  const logPath = o.logPath ?? RECOVERY_LOG;
  const kmsgPath = o.kmsgPath ?? '/dev/kmsg';
  const now = o.now ?? (() => new Date());
  return (event, fields = {}) => {
    const rec = { time: now().toISOString(), console: consoleName, event, ...fields };
    const kv = Object.entries(fields).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(' ');
    try { writeFileSync(kmsgPath, `<5>k3os-recovery[${consoleName}]: ${event}${kv ? ` ${kv}` : ''}\n`); } catch { /* no kmsg in a container */ }
    try {
      mkdirSync(join(logPath, '..'), { recursive: true });
      appendFileSync(logPath, `${JSON.stringify(rec)}\n`);
    } catch { /* /var not mounted yet: the kernel log has it */ }
  };
}
