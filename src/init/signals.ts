import type { Intent, PowerAction } from './types.ts';

type SignalIntent = { kind: 'power'; action: PowerAction } | { kind: 'reloadConfig' };

/**
 * What each signal to PID 1 means (DESIGN.md, PID 1 rules 3). busybox
 * reboot/halt/poweroff send these; SIGINT is ctrl-alt-del once CAD is off;
 * SIGPWR comes from power-failure daemons and the ACPI path.
 */
export const SIGNAL_INTENTS: Readonly<Partial<Record<NodeJS.Signals, SignalIntent>>> = {
  SIGTERM: { kind: 'power', action: 'reboot' },
  SIGINT: { kind: 'power', action: 'reboot' },
  SIGUSR1: { kind: 'power', action: 'halt' },
  SIGUSR2: { kind: 'power', action: 'poweroff' },
  SIGPWR: { kind: 'power', action: 'poweroff' },
  SIGHUP: { kind: 'reloadConfig' },
};

export function intentForSignal(signal: NodeJS.Signals): Intent | undefined {
  const i = SIGNAL_INTENTS[signal];
  if (i === undefined) return undefined;
  return i.kind === 'power'
    ? { kind: 'power', action: i.action, reason: `signal ${signal}` }
    : { kind: 'reloadConfig', reason: `signal ${signal}` };
}

/**
 * Handlers only queue; one consumer acts (see IntentQueue). A power intent
 * already queued wins over later ones: the first shutdown request decides.
 */
export class IntentQueue {
  readonly #items: Intent[] = [];
  #wake: (() => void) | undefined;

  push(intent: Intent): void {
    this.#items.push(intent);
    this.#wake?.();
  }

  async next(signal: AbortSignal): Promise<Intent | undefined> {
    while (this.#items.length === 0) {
      if (signal.aborted) return undefined;
      // One listener per wait, removed when the wait ends: main waits here for the whole uptime.
      let onAbort: (() => void) | undefined;
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
        onAbort = resolve;
        signal.addEventListener('abort', onAbort, { once: true });
      });
      signal.removeEventListener('abort', onAbort!);
      this.#wake = undefined;
    }
    return this.#items.shift();
  }
}

export function installSignalHandlers(queue: IntentQueue, on: (signal: NodeJS.Signals) => void = () => {}): void {
  for (const sig of Object.keys(SIGNAL_INTENTS) as NodeJS.Signals[]) {
    process.on(sig, () => {
      on(sig);
      const intent = intentForSignal(sig);
      if (intent !== undefined) queue.push(intent);
    });
  }
}
