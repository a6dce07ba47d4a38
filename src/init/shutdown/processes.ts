import fs from 'node:fs';

export interface ProcEntry {
  pid: number;
  ppid: number;
  state: string;
  kernelThread: boolean;
}

/** Parses /proc/<pid>/stat: comm may contain spaces and parens. */
export function parseStat(text: string): { ppid: number; state: string; flags: number } | null {
  const close = text.lastIndexOf(')');
  if (close < 0) return null;
  const f = text.slice(close + 2).split(' ');
  const ppid = Number(f[1]);
  const flags = Number(f[6]);
  return Number.isFinite(ppid) ? { ppid, state: f[0] ?? '?', flags } : null;
}

const PF_KTHREAD = 0x00200000;

export function listProcesses(proc = '/proc'): ProcEntry[] {
  const out: ProcEntry[] = [];
  for (const name of fs.readdirSync(proc)) {
    if (!/^\d+$/.test(name)) continue;
    let text: string;
    try {
      text = fs.readFileSync(`${proc}/${name}/stat`, 'utf8');
    } catch {
      continue; // exited while we listed
    }
    const s = parseStat(text);
    if (s === null) continue;
    const pid = Number(name);
    out.push({ pid, ppid: s.ppid, state: s.state, kernelThread: (s.flags & PF_KTHREAD) !== 0 || pid === 2 || s.ppid === 2 });
  }
  return out;
}

/** Who the ladder signals: every user process except ourselves; zombies are only waited for. */
export function signalTargets(procs: readonly ProcEntry[], self: number): number[] {
  return procs.filter((p) => p.pid !== self && p.pid !== 1 && !p.kernelThread && p.state !== 'Z').map((p) => p.pid);
}
