// Folds bursts of triggers into one pending run: while a run is in flight,
// any number of triggers schedule exactly one more run after it. A failed
// run is retried with capped exponential backoff until one succeeds or a
// newer trigger arrives.
import { backoffDelay, type Backoff } from '../lib/backoff.ts';
import type { Owned } from '../lib/owned.ts';
import { realDelay, type Delay } from '../lib/time.ts';

/** 1 s, 2 s, 4 s ... capped at 30 s: the same ladder client-node's ListWatch uses. */
export const AGENT_BACKOFF: Backoff = { baseMs: 1000, capMs: 30_000 };

export interface CoalescerOptions {
  name: string;
  run: () => Promise<void>;
  onError: (err: unknown, attempt: number) => void;
  delay?: Delay;
  baseMs?: number;
  capMs?: number;
}

export class Coalescer implements Owned {
  readonly name: string;
  private readonly opts: CoalescerOptions;
  private pending = false;
  private loop: Promise<void> | undefined;
  private abort = new AbortController();
  private stopped = true;
  /** Wakes a backoff wait early when a new trigger arrives. */
  private wake = new AbortController();

  constructor(opts: CoalescerOptions) {
    this.name = opts.name;
    this.opts = opts;
  }

  async start(): Promise<void> {
    if (!this.stopped) return;
    this.stopped = false;
    this.abort = new AbortController();
  }

  trigger(): void {
    if (this.stopped) return;
    this.pending = true;
    this.wake.abort();
    this.loop ??= this.drain().finally(() => { this.loop = undefined; });
  }

  private async drain(): Promise<void> {
    let attempt = 0;
    while (this.pending && !this.stopped) {
      this.pending = false;
      this.wake = new AbortController();
      try {
        await this.opts.run();
        attempt = 0;
      } catch (err) {
        this.opts.onError(err, attempt);
        if (this.stopped) return;
        this.pending = true;
        const signal = AbortSignal.any([this.abort.signal, this.wake.signal]);
        await (this.opts.delay ?? realDelay)(backoffDelay(attempt++, { baseMs: this.opts.baseMs ?? AGENT_BACKOFF.baseMs, capMs: this.opts.capMs ?? AGENT_BACKOFF.capMs }), signal);
      }
    }
  }

  /** Resolves once the run in flight (if any) has settled. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    await this.loop;
  }

  /** Resolves when no run is in flight or pending (tests and benchmarks). */
  async idle(): Promise<void> {
    while (this.loop) await this.loop;
  }
}
