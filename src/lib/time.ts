import { setTimeout as sleep } from 'node:timers/promises';

/** Abortable sleep; injected so loops are testable without real time. */
export type Delay = (ms: number, signal?: AbortSignal) => Promise<void>;

export interface Clock {
  /** Monotonic milliseconds. */
  now(): number;
}

export const monotonicClock: Clock = { now: () => performance.now() };

/** Resolves after ms, or early (without throwing) when signal aborts. */
export const realDelay: Delay = async (ms, signal) => {
  try {
    await sleep(ms, undefined, signal ? { signal } : undefined);
  } catch (err) {
    if ((err as { name?: string }).name !== 'AbortError') throw err;
  }
};

/** Races work against a timeout; the loser is ignored, never cancelled. */
export async function withDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: timed out after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
