// Who may log in on a console. The image seeds /etc/passwd, /etc/group and
// /etc/shadow; these functions say what the lines must be and how rancher's
// password field follows the mode and k3os.password. Writing the field is
// shadowWithPassword in src/apply/password.ts.

export const RANCHER_UID = 1000;

/**
 * rancher's shadow password field.
 * - a configured k3os.password (already a crypt hash, made by the config appliers) wins;
 * - live mode without one: empty, so the console logs in without a password, as k3OS
 *   live did. The image runs no sshd, and an sshd added later refuses empty passwords
 *   by default (PermitEmptyPasswords no), so "empty" only ever means the console;
 * - otherwise "*": no password can match, yet the account is not locked, so ssh keys
 *   (ssh_authorized_keys) still work. "!" would lock keys out too.
 */
export function rancherPasswordField(mode: string, passwordHash: string | undefined): string {
  if (passwordHash !== undefined && passwordHash !== '') return passwordHash;
  return mode === 'live' ? '' : '*';
}

/** The seed lines the image writes (root locked with "!": busybox login refuses it). */
export function seedAccounts(): { passwd: string; group: string; shadow: string } {
  return {
    passwd: [
      'root:x:0:0:root:/root:/bin/sh',
      `rancher:x:${RANCHER_UID}:${RANCHER_UID}:rancher:/home/rancher:/bin/sh`,
      'nobody:x:65534:65534:nobody:/nonexistent:/bin/false',
      '',
    ].join('\n'),
    group: [
      'root:x:0:',
      'wheel:x:10:rancher',
      `rancher:x:${RANCHER_UID}:`,
      'nogroup:x:65534:',
      '',
    ].join('\n'),
    shadow: [
      'root:!:1::::::',
      'rancher:*:1:0:99999:7:::',
      'nobody:!:1::::::',
      '',
    ].join('\n'),
  };
}

/** The password field of a user in shadow text, or undefined when the user is absent. */
export function shadowPasswordField(shadow: string, user: string): string | undefined {
  for (const line of shadow.split('\n')) {
    const cols = line.split(':');
    if (cols[0] === user && cols.length >= 2) return cols[1];
  }
  return undefined;
}
