// `k3os recovery`: the recovery menu on this terminal. PID 1 runs it on every console
// when boot fails or recovery is asked for; root can also run it by hand.
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { createRecoveryClient } from './recovery-client.ts';
import { createRecoveryActions, createRecoveryLog } from './recovery-effects.ts';
import { runRecovery } from './recovery-session.ts';
import { createTtyIO } from './recovery-tty.ts';

export const RECOVERY_USAGE = 'usage: k3os recovery [--console NAME] [--reason TEXT]';

/** Returns the exit code. */
export async function recoveryMain(argv: readonly string[]): Promise<number> {
  let values: { console?: string; reason?: string };
  try {
    ({ values } = parseArgs({ args: [...argv], options: { console: { type: 'string' }, reason: { type: 'string' } }, strict: true }));
  } catch (e) {
    process.stderr.write(`k3os recovery: ${(e as Error).message}\n${RECOVERY_USAGE}\n`);
    return 2;
  }
  if (process.getuid?.() !== 0) {
    process.stderr.write('k3os recovery: must run as root (sudo k3os recovery)\n');
    return 1;
  }
  // Ctrl-C at the menu (or in a shell without job control) must not end recovery.
  for (const s of ['SIGINT', 'SIGQUIT', 'SIGTSTP'] as const) process.on(s, () => {});
  const outcome = await runRecovery({
    io: createTtyIO(),
    client: createRecoveryClient({ timeoutMs: 3000 }),
    actions: createRecoveryActions(),
    log: createRecoveryLog(values.console ?? 'tty'),
    ...(values.reason ? { reason: values.reason } : {}),
  });
  // PID 1 is shutting down and will stop us; leaving now would only restart the menu.
  if (outcome.kind === 'power') await sleep(60_000);
  return 0;
}
