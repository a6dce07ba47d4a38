export type ServiceState =
  | 'waiting' | 'starting' | 'running' | 'backoff' | 'stopping' | 'stopped' | 'finished' | 'failed';

export interface StateEvent {
  state: ServiceState;
  /** Wall clock, for humans reading status. */
  at: string;
  message: string;
}

/** State with a bounded history (the newest `limit` transitions). */
export class StateHistory {
  readonly #limit: number;
  readonly #events: StateEvent[] = [];
  #state: ServiceState = 'waiting';

  constructor(limit = 64) {
    this.#limit = limit;
  }

  get state(): ServiceState {
    return this.#state;
  }

  set(state: ServiceState, message: string, now = new Date()): void {
    this.#state = state;
    this.#events.push({ state, at: now.toISOString(), message });
    if (this.#events.length > this.#limit) this.#events.splice(0, this.#events.length - this.#limit);
  }

  history(): readonly StateEvent[] {
    return [...this.#events];
  }
}
