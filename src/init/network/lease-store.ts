// The lease on disk (/var/lib/k3os/dhcp/<if>.json), so a restarted PID 1
// asks for the same address first (INIT-REBOOT). A file that does not parse
// is ignored: the client falls back to DISCOVER.

import { readFile, rm } from 'node:fs/promises';
import { writeFileAtomic } from '../../lib/atomic-write.ts';
import { join } from 'node:path';
import type { Lease } from './dhcp-machine.ts';
import { isIPv4 } from './ipv4.ts';

export const LEASE_DIR = '/var/lib/k3os/dhcp';

export interface StoredLease { lease: Lease; acquiredAt: number }

export function parseStoredLease(text: string): StoredLease | undefined {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return undefined;
  }
  const s = v as Partial<StoredLease> | null;
  const l = s?.lease as Partial<Lease> | undefined;
  if (!l || typeof s?.acquiredAt !== 'number') return undefined;
  if (typeof l.address !== 'string' || !isIPv4(l.address) || typeof l.serverId !== 'string' || !isIPv4(l.serverId)) return undefined;
  if (typeof l.prefix !== 'number' || l.prefix < 0 || l.prefix > 32) return undefined;
  for (const k of ['leaseTime', 't1', 't2'] as const) if (typeof l[k] !== 'number') return undefined;
  for (const k of ['routers', 'dns', 'ntp'] as const) if (!Array.isArray(l[k])) return undefined;
  return s as StoredLease;
}

export class LeaseStore {
  readonly dir: string;
  constructor(dir: string = LEASE_DIR) { this.dir = dir; }

  path(ifname: string): string { return join(this.dir, `${ifname}.json`); }

  async load(ifname: string): Promise<StoredLease | undefined> {
    try {
      return parseStoredLease(await readFile(this.path(ifname), 'utf8'));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  async save(ifname: string, stored: StoredLease): Promise<void> {
    await writeFileAtomic(this.path(ifname), `${JSON.stringify(stored)}\n`, { dirMode: 0o700, mode: 0o600 });
  }

  async forget(ifname: string): Promise<void> {
    await rm(this.path(ifname), { force: true });
  }
}
