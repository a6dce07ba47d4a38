export interface Backoff {
  baseMs: number;
  capMs: number;
  /** Fraction of the delay that is random, 0..1; 0 gives the plain ladder. */
  jitterRatio?: number;
}

/**
 * Capped exponential backoff: base * 2^attempt, at most cap, with up to
 * jitterRatio of it randomised downwards, so the cap really caps. `random`
 * returns [0, 1); inject a constant in tests.
 */
export function backoffDelay(attempt: number, o: Backoff, random: () => number = Math.random): number {
  const exp = Math.min(o.capMs, o.baseMs * 2 ** Math.min(Math.max(0, attempt), 30));
  const jitter = o.jitterRatio ?? 0;
  return jitter === 0 ? exp : Math.round(exp * (1 - jitter * random()));
}
