// k3OS's hostname rule when the config sets none: the DHCP server's name, else
// the name saved under /var/lib/rancher/k3os/hostname, else a new
// k3os-<random> that is saved there (k3OS did the same at first boot).

import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../../lib/atomic-write.ts';
import { join } from 'node:path';

export const HOSTNAME_FILE = '/var/lib/rancher/k3os/hostname';

export interface HostnameInputs {
  configured?: string;
  dhcp?: string;
  saved?: string;
  random: () => number;
}

export interface HostnameChoice { name: string; source: 'config' | 'dhcp' | 'saved' | 'generated'; save: boolean }

const valid = (n: string | undefined): n is string => !!n && /^[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\.[A-Za-z0-9-]{1,63})*$/.test(n);

export function chooseHostname(i: HostnameInputs): HostnameChoice {
  if (valid(i.configured)) return { name: i.configured, source: 'config', save: false };
  if (valid(i.dhcp)) return { name: i.dhcp.split('.')[0]!, source: 'dhcp', save: false };
  if (valid(i.saved)) return { name: i.saved, source: 'saved', save: false };
  return { name: `k3os-${1 + Math.floor(i.random() * 32767)}`, source: 'generated', save: true };
}

export async function readSavedHostname(root: string): Promise<string | undefined> {
  try {
    return (await readFile(join(root, HOSTNAME_FILE), 'utf8')).trim() || undefined;
  } catch {
    return undefined;
  }
}

export async function saveHostname(root: string, name: string): Promise<void> {
  await writeFileAtomic(join(root, HOSTNAME_FILE), `${name}\n`, { dirMode: 0o755, mode: 0o644 });
}
