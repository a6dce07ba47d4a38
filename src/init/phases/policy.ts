// What a task's failure means, chosen where the sequence is declared
// (sequences.ts), as Talos's sequencer does: by default a failed task fails
// its phase and the boot goes to recovery; wrapped, it is logged and the
// phase goes on, or it is given a deadline.
import { withDeadline } from '../../lib/time.ts';
import type { Task } from './types.ts';

/** The task may fail: its error is logged with what that leaves, and the phase goes on. */
export const bestEffort = (t: Task, consequence = 'boot goes on'): Task => ({
  name: t.name,
  async run(ctx, log) {
    try {
      await t.run(ctx, log);
    } catch (err) {
      log.warn({ err }, `${t.name} failed (best effort: ${consequence})`);
    }
  },
});

/** The task fails when it has not finished after `ms`. */
export const withTimeout = (t: Task, ms: number): Task => ({
  name: t.name,
  run: (ctx, log) => withDeadline(Promise.resolve(t.run(ctx, log)), ms, t.name),
});
