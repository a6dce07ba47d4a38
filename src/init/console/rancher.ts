// rancher's account as the boot leaves it: a home to log in to, and a
// password field that follows the mode and k3os.password (accounts.ts says
// what the field must be). /etc is a fresh tmpfs copy of the seed each boot,
// so nothing here outlives the boot. /etc/shadow is written only through
// writeShadow (src/apply/password.ts).
import { mkdir, chown, readFile, stat } from 'node:fs/promises';
import { passwordHash, shadowWithPassword, writeShadow } from '../../apply/password.ts';
import type { K3OSConfig } from '../../config/schema.ts';
import type { Logger } from '../log/logger.ts';
import { RANCHER_UID, rancherPasswordField, shadowPasswordField } from './accounts.ts';

const RANCHER_HOME = '/home/rancher';
const SHADOW = '/etc/shadow';

const exists = (p: string) => stat(p).then(() => true, () => false);

/**
 * rancher's home, and rancher's password field when k3os.password is not set
 * (the config's boot phase wrote it when it is): empty in live mode, "*" otherwise.
 */
export async function prepareRancher(mode: string, config: K3OSConfig, log: Logger): Promise<void> {
  // /home is a fresh tmpfs (live) or a new state disk: login wants the home to exist.
  if (!(await exists(RANCHER_HOME))) {
    await mkdir(RANCHER_HOME, { recursive: true, mode: 0o750 });
    await chown(RANCHER_HOME, RANCHER_UID, RANCHER_UID);
    log.debug({ path: RANCHER_HOME }, 'rancher home made');
  }
  if (config.k3os?.password) return;
  const field = rancherPasswordField(mode, undefined);
  const shadow = await readFile(SHADOW, 'utf8');
  if (shadowPasswordField(shadow, 'rancher') === field) return;
  await writeShadow(SHADOW, shadowWithPassword(shadow, 'rancher', field));
  log.info({ uid: RANCHER_UID }, field === '' ? 'rancher logs in on the console without a password (live mode, no k3os.password)' : 'rancher has no password (keys only)');
}

/**
 * The recovery menu's root shell asks for k3os.password when one is set. Recovery can
 * come before the config's boot phase wrote it (k3os.mode=recovery, an early failure),
 * so the config is read here when boot has none yet.
 */
export async function guardRecoveryShell(config: () => Promise<K3OSConfig>, log: Logger): Promise<void> {
  const shadow = await readFile(SHADOW, 'utf8');
  if (shadowPasswordField(shadow, 'rancher')?.startsWith('$')) return;
  const password = (await config()).k3os?.password;
  if (!password) return;
  await writeShadow(SHADOW, shadowWithPassword(shadow, 'rancher', passwordHash(password)));
  log.info('the recovery shell asks for k3os.password');
}
