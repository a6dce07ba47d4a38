import type { ExitStatus } from '../../sys/types.ts';

export type RestartPolicy = 'forever' | 'once' | 'untilSuccess';

export interface BackoffOptions {
  baseMs: number;
  capMs: number;
  /** Fraction of the delay that is random, 0..1. */
  jitterRatio: number;
  /** A run this long resets the attempt counter. */
  stableMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 250, capMs: 30_000, jitterRatio: 0.2, stableMs: 10_000 };

/**
 * Capped exponential backoff: base * 2^attempt, at most cap, with up to
 * jitterRatio of it randomised (downwards, so the cap really caps).
 * `random` returns [0, 1); inject a constant in tests.
 */
export function restartDelay(attempt: number, random: () => number = Math.random, o: BackoffOptions = DEFAULT_BACKOFF): number {
  const exp = Math.min(o.capMs, o.baseMs * 2 ** Math.min(attempt, 30));
  return Math.round(exp * (1 - o.jitterRatio * random()));
}

/** Whether the policy asks for another run after this exit. */
export function shouldRestart(policy: RestartPolicy, status: ExitStatus): boolean {
  switch (policy) {
    case 'forever': return true;
    case 'once': return false;
    case 'untilSuccess': return !(status.code === 0 && status.signal === null);
  }
}

/** The attempt number for the next delay: reset after a stable run. */
export function nextAttempt(attempt: number, ranMs: number, o: BackoffOptions = DEFAULT_BACKOFF): number {
  return ranMs >= o.stableMs ? 0 : attempt + 1;
}

export function describeExit(s: ExitStatus): string {
  return s.signal !== null ? `killed by ${s.signal}` : `exit code ${s.code}`;
}
