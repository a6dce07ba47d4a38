// "Press any key for the recovery menu": a short window at boot, on every console.
// The decision is pure; the wait runs alongside the early boot stages, so it costs
// boot time only when those finish before the window closes.
import { constants, openSync, writeSync, closeSync } from 'node:fs';
import { ReadStream, isatty } from 'node:tty';
import type { ConsoleDevice } from './consoles.ts';
import type { Timer } from './writer.ts';

export type PromptPlan =
  | { kind: 'skip'; reason: string }
  | { kind: 'prompt'; devices: ConsoleDevice[]; timeoutMs: number; message: string };

export interface PromptFacts {
  /** 'machine' only: a container or a dev run has no console an operator types on. */
  runtime: string;
  recoveryRequested: boolean;
  promptMs: number;
  consoles: readonly ConsoleDevice[];
}

export function promptMessage(ms: number): string {
  const s = ms % 1000 === 0 ? String(ms / 1000) : (ms / 1000).toFixed(1);
  return `k3os-init: press any key within ${s} s for the recovery menu`;
}

export function planRecoveryPrompt(f: PromptFacts): PromptPlan {
  if (f.recoveryRequested) return { kind: 'skip', reason: 'recovery already requested' };
  if (f.promptMs <= 0) return { kind: 'skip', reason: 'disabled (k3os.recovery_prompt=0)' };
  if (f.runtime !== 'machine') return { kind: 'skip', reason: `no console input in ${f.runtime} runtime` };
  if (f.consoles.length === 0) return { kind: 'skip', reason: 'no console device' };
  return { kind: 'prompt', devices: [...f.consoles], timeoutMs: f.promptMs, message: promptMessage(f.promptMs) };
}

/** One console's keyboard for the length of the prompt. */
export interface KeyInput {
  onKey(listener: () => void): void;
  /** Restores the terminal mode and closes; idempotent. */
  close(): void;
}

/** Opens a console for the prompt; null when it is absent or not a terminal. */
export type OpenKeyInput = (dev: ConsoleDevice, message: string) => KeyInput | null;

export interface RecoveryPrompt {
  /** true when a key was pressed in time, false when the window closed or was stopped. */
  readonly pressed: Promise<boolean>;
  stop(): Promise<void>;
}

export function startRecoveryPrompt(plan: PromptPlan, deps: { open?: OpenKeyInput; timer?: Timer } = {}): RecoveryPrompt {
  if (plan.kind === 'skip') return { pressed: Promise.resolve(false), stop: async () => {} };
  const open = deps.open ?? openTtyKeyInput;
  const timer: Timer = deps.timer ?? ((fn, ms) => { const t = setTimeout(fn, ms); return () => clearTimeout(t); });
  let settle!: (v: boolean) => void;
  const pressed = new Promise<boolean>((resolve) => { settle = resolve; });
  const inputs: KeyInput[] = [];
  let done = false;
  let cancelTimer = () => {};
  const finish = (v: boolean) => {
    if (done) return;
    done = true;
    cancelTimer();
    for (const i of inputs) i.close();
    settle(v);
  };
  for (const dev of plan.devices) {
    let input: KeyInput | null = null;
    try { input = open(dev, plan.message); } catch { input = null; }
    if (!input) continue;
    inputs.push(input);
    input.onKey(() => finish(true));
  }
  if (inputs.length === 0) finish(false);
  else cancelTimer = timer(() => finish(false), plan.timeoutMs);
  return { pressed, stop: async () => finish(false) };
}

/**
 * The real console: opened non-blocking without becoming our controlling terminal,
 * message written once, raw mode so a single key counts (no Enter needed); the
 * previous mode is restored on close, before getty or the menu take the terminal.
 */
export const openTtyKeyInput: OpenKeyInput = (dev, message) => {
  const fd = openSync(dev.path, constants.O_RDWR | constants.O_NONBLOCK | constants.O_NOCTTY);
  if (!isatty(fd)) { closeSync(fd); return null; }
  try { writeSync(fd, `${message}\r\n`); } catch { /* a full or hung-up line: the key still counts */ }
  const stream = new ReadStream(fd);
  try { stream.setRawMode(true); } catch { /* canonical mode: Enter still works */ }
  let closed = false;
  return {
    onKey(listener) { stream.on('data', listener); },
    close() {
      if (closed) return;
      closed = true;
      try { stream.setRawMode(false); } catch { /* terminal gone */ }
      stream.destroy();
    },
  };
};

/**
 * The boot's one prompt, offered once the command line is read and answered
 * once the config is read; closed early when boot fails in between, so the
 * consoles are out of raw mode before the recovery menu takes them.
 */
export class BootPrompt {
  #prompt: RecoveryPrompt | undefined;

  offer(plan: PromptPlan, deps?: Parameters<typeof startRecoveryPrompt>[1]): void {
    this.#prompt = startRecoveryPrompt(plan, deps);
  }

  /** true when a key was pressed in time; false when none was, or nothing was offered. */
  async answer(): Promise<boolean> {
    const p = this.#prompt;
    this.#prompt = undefined;
    return p ? p.pressed : false;
  }

  async close(): Promise<void> {
    const p = this.#prompt;
    this.#prompt = undefined;
    await p?.stop();
  }
}
