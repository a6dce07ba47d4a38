import type { NativeAddon } from './addon.ts';
import { signalName } from './signals.ts';
import type { ExitStatus, Reaper } from './types.ts';

type ExitListener = (status: ExitStatus) => void;

/**
 * How many exits of spawned pids that nobody subscribed to yet are held for a
 * late onExit(pid). Subscribing in the same tick as spawn never needs this
 * (exits reach JS asynchronously); it covers a subscriber that awaits
 * something first. The oldest held exit past the bound goes to onOrphan.
 */
export const HELD_EXITS_LIMIT = 256;

/**
 * Fans exits out by pid: each onExit listener is called exactly once, with the
 * next exit of its pid; exits nobody waits for go to onOrphan listeners.
 * Pure bookkeeping: the native reaper feeds it through deliver().
 */
export class ExitFanout implements Reaper {
  readonly #subscribers = new Map<number, Set<ExitListener>>();
  readonly #orphanListeners = new Set<ExitListener>();
  /** Spawned here, exit not yet delivered. */
  readonly #spawned = new Set<number>();
  /** Exits of spawned pids with no subscriber yet, oldest first. */
  readonly #held = new Map<number, ExitStatus>();
  readonly #heldLimit: number;

  constructor(heldLimit: number = HELD_EXITS_LIMIT) {
    this.#heldLimit = heldLimit;
  }

  /** Marks a pid as ours, so an exit that beats its subscriber is held, not orphaned. */
  spawned(pid: number): void {
    this.#spawned.add(pid);
  }

  onExit(pid: number, listener: ExitListener): () => void {
    if (!Number.isInteger(pid) || pid <= 0) throw new RangeError(`onExit pid must be a positive integer, got ${pid}`);
    if (typeof listener !== 'function') throw new TypeError('onExit listener must be a function');
    const held = this.#held.get(pid);
    if (held) {
      this.#held.delete(pid);
      let subscribed = true;
      // Asynchronous like every other delivery, so callers need one code path.
      queueMicrotask(() => {
        if (subscribed) listener(held);
      });
      return () => {
        subscribed = false;
      };
    }
    let listeners = this.#subscribers.get(pid);
    if (!listeners) {
      listeners = new Set();
      this.#subscribers.set(pid, listeners);
      if (this.#subscribers.size === 1) this.waitingChanged(true);
    }
    listeners.add(listener);
    return () => {
      const current = this.#subscribers.get(pid);
      if (!current?.delete(listener) || current.size > 0) return;
      this.#subscribers.delete(pid);
      if (this.#subscribers.size === 0) this.waitingChanged(false);
    };
  }

  onOrphan(listener: ExitListener): () => void {
    if (typeof listener !== 'function') throw new TypeError('onOrphan listener must be a function');
    this.#orphanListeners.add(listener);
    return () => {
      this.#orphanListeners.delete(listener);
    };
  }

  /** Whether some onExit subscriber is waiting; called on each change. */
  protected waitingChanged(_waiting: boolean): void {}

  deliver(status: ExitStatus): void {
    const ours = this.#spawned.delete(status.pid);
    const listeners = this.#subscribers.get(status.pid);
    if (listeners) {
      this.#subscribers.delete(status.pid);
      if (this.#subscribers.size === 0) this.waitingChanged(false);
      callAll(listeners, status);
    } else if (ours) {
      this.#held.set(status.pid, status);
      if (this.#held.size > this.#heldLimit) {
        const [oldestPid, oldest] = this.#held.entries().next().value as [number, ExitStatus];
        this.#held.delete(oldestPid);
        callAll(this.#orphanListeners, oldest);
      }
    } else {
      callAll(this.#orphanListeners, status);
    }
  }
}

/** Calls every listener even when one throws; rethrows the first error after. */
function callAll(listeners: Iterable<ExitListener>, status: ExitStatus): void {
  let failure: { error: unknown } | undefined;
  for (const listener of [...listeners]) {
    try {
      listener(status);
    } catch (error) {
      failure ??= { error };
    }
  }
  if (failure) throw failure.error;
}

/**
 * The process's one reaper: the native thread blocked in waitid(P_ALL) plus
 * the fan-out. start() takes over every child of this process, so a process
 * that also uses node:child_process must not start it (libuv would lose its
 * children's exits).
 */
export class LinuxReaper extends ExitFanout {
  readonly name = 'reaper';
  readonly #addon: NativeAddon;
  #running = false;
  #waiting = false;

  constructor(addon: NativeAddon, heldLimit?: number) {
    super(heldLimit);
    this.#addon = addon;
  }

  get running(): boolean {
    return this.#running;
  }

  /**
   * While a subscriber waits for an exit, the reaper keeps the event loop
   * alive (as a pending child_process would); otherwise it does not.
   */
  protected override waitingChanged(waiting: boolean): void {
    this.#waiting = waiting;
    if (this.#running) this.#addon.refReaper(waiting);
  }

  start(): void {
    if (this.#running) return;
    this.#addon.startReaper((pid, code, signal) => {
      this.deliver({ pid, code, signal: signal === null ? null : signalName(signal) });
    });
    this.#running = true;
    if (this.#waiting) this.#addon.refReaper(true);
  }

  /** Joins the native thread; exits it collected before are still delivered. */
  stop(): void {
    if (!this.#running) return;
    this.#addon.stopReaper();
    this.#running = false;
  }
}
