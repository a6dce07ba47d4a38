import type { Backoff } from '../../lib/backoff.ts';
import type { ExitStatus } from '../../sys/types.ts';

export type RestartPolicy = 'forever' | 'once' | 'untilSuccess';

export interface BackoffOptions extends Backoff {
  /** A run this long resets the attempt counter. */
  stableMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 250, capMs: 30_000, jitterRatio: 0.2, stableMs: 10_000 };

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

