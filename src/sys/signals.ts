import { constants } from 'node:os';

const NAMES = new Map<number, NodeJS.Signals>();
for (const [name, number] of Object.entries(constants.signals)) {
  // Aliases (SIGIOT = SIGABRT, SIGPOLL = SIGIO) come after the canonical name.
  if (!NAMES.has(number)) NAMES.set(number, name as NodeJS.Signals);
}

/**
 * The name of a signal number. Real-time signals have no Node name and come
 * out as `SIG<n>` (typed as NodeJS.Signals, which cannot express them).
 */
export function signalName(signal: number): NodeJS.Signals {
  return NAMES.get(signal) ?? (`SIG${signal}` as NodeJS.Signals);
}
