import { withDeadline } from '../../lib/time.ts';
import type { Task } from './types.ts';

/** The caller decides a task may fail: its error is logged, the phase goes on. */
export const bestEffort = (t: Task): Task => ({
  name: t.name,
  async run(ctx, log) {
    try {
      await t.run(ctx, log);
    } catch (err) {
      log.warn({ err }, `${t.name} failed (best effort, boot goes on)`);
    }
  },
});

export const withTimeout = (t: Task, ms: number): Task => ({
  name: t.name,
  run: (ctx, log) => withDeadline(Promise.resolve(t.run(ctx, log)), ms, t.name),
});
