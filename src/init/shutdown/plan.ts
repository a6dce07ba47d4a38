import { API_FILESYSTEMS } from '../mounts.ts';
import type { PowerAction, Runtime } from '../types.ts';

export type ShutdownStep =
  | { kind: 'stopService'; id: string; timeoutMs: number }
  | { kind: 'stopOwner'; name: string; timeoutMs: number }
  | { kind: 'signalAll'; signal: 'SIGTERM' | 'SIGKILL' }
  | { kind: 'waitAllGone'; timeoutMs: number }
  | { kind: 'umount'; target: string; lazy: boolean; timeoutMs: number }
  | { kind: 'remountReadOnly'; target: string; timeoutMs: number }
  | { kind: 'sync'; timeoutMs: number }
  | { kind: 'power'; action: PowerAction };

export interface ShutdownFacts {
  runtime: Runtime;
  action: PowerAction;
  /** Services in start order; stopped agent first, then k3s, then the rest in reverse. */
  services: readonly { id: string; stopTimeoutMs: number }[];
  /** /proc/self/mounts in mount order. */
  mounts: ReadonlyArray<{ target: string; fstype: string }>;
  /** Long-running owners of PID 1 (network, power button), stopped after the services. */
  owners?: readonly string[];
  termGraceMs?: number;
  killGraceMs?: number;
}

/** Mount targets the ladder never touches: the root and its pseudo mounts. */
const KEEP = new Set(['/', '/proc', '/sys', '/dev']);

/**
 * The shutdown ladder of DESIGN.md as data. A container skips the unmounts:
 * its mount namespace is dropped with it, and remounting an inherited bind
 * read-only would change the host's filesystem.
 */
export function planShutdown(f: ShutdownFacts): ShutdownStep[] {
  const steps: ShutdownStep[] = [];
  const order = [
    ...f.services.filter((s) => s.id === 'agent'),
    ...f.services.filter((s) => s.id === 'k3s'),
    ...[...f.services].reverse().filter((s) => s.id !== 'agent' && s.id !== 'k3s'),
  ];
  for (const s of order) steps.push({ kind: 'stopService', id: s.id, timeoutMs: s.stopTimeoutMs + 2_000 });
  // The DHCP release needs the link and the services gone; it must not wait on a dead server for long.
  for (const name of f.owners ?? []) steps.push({ kind: 'stopOwner', name, timeoutMs: 3_000 });
  // Not PID 1 (dev): other processes on the host are not ours to signal.
  if (f.runtime !== 'dev') {
    steps.push({ kind: 'signalAll', signal: 'SIGTERM' });
    steps.push({ kind: 'waitAllGone', timeoutMs: f.termGraceMs ?? 5_000 });
    steps.push({ kind: 'signalAll', signal: 'SIGKILL' });
    steps.push({ kind: 'waitAllGone', timeoutMs: f.killGraceMs ?? 2_000 });
  }
  if (f.runtime === 'machine') {
    for (const m of [...f.mounts].reverse()) {
      if (KEEP.has(m.target)) continue;
      steps.push(API_FILESYSTEMS.has(m.fstype)
        ? { kind: 'umount', target: m.target, lazy: true, timeoutMs: 2_000 }
        : { kind: 'remountReadOnly', target: m.target, timeoutMs: 5_000 });
    }
  }
  steps.push({ kind: 'sync', timeoutMs: 10_000 });
  steps.push({ kind: 'power', action: f.action });
  return steps;
}
