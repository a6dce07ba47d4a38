// /etc/passwd and /etc/group lookups (in the root prefix), for write_files
// owners and the rancher user's home. Pure parsing; the caller reads files.

export interface PasswdEntry { name: string; uid: number; gid: number; home: string }

export const parsePasswd = (text: string): PasswdEntry[] =>
  text.split('\n').flatMap((line) => {
    const c = line.split(':');
    if (c.length < 7 || !/^\d+$/.test(c[2]!) || !/^\d+$/.test(c[3]!)) return [];
    return [{ name: c[0]!, uid: Number(c[2]), gid: Number(c[3]), home: c[5]! }];
  });

export const parseGroup = (text: string): Map<string, number> => {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const c = line.split(':');
    if (c.length >= 3 && /^\d+$/.test(c[2]!)) out.set(c[0]!, Number(c[2]));
  }
  return out;
};

/** "user", "user:group", "user.group" (cloud-init's older form), names or ids; the user's group when none is given. */
export const resolveOwner = (owner: string, passwd: string, group: string): { uid: number; gid: number } => {
  const [u, g] = owner.includes(':') ? owner.split(':', 2) : owner.split('.', 2);
  const users = parsePasswd(passwd);
  const user = /^\d+$/.test(u!) ? users.find((x) => x.uid === Number(u)) ?? { uid: Number(u), gid: Number(u) } : users.find((x) => x.name === u);
  if (!user) throw new Error(`owner ${owner}: no user "${u}" in /etc/passwd`);
  if (g === undefined || g === '') return { uid: user.uid, gid: user.gid };
  if (/^\d+$/.test(g)) return { uid: user.uid, gid: Number(g) };
  const gid = parseGroup(group).get(g);
  if (gid === undefined) throw new Error(`owner ${owner}: no group "${g}" in /etc/group`);
  return { uid: user.uid, gid };
};
