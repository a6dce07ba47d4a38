import type { Clock } from '../../lib/time.ts';
import type { NodeState } from '../node-state.ts';
import type { BootContext, Phase, Task } from './types.ts';

export class BootError extends Error {
  readonly phase: string;
  constructor(message: string, phase: string, cause: unknown) {
    super(message, { cause });
    this.name = 'BootError';
    this.phase = phase;
  }
}

export interface RunOptions {
  sequenceName: string;
  clock: Clock;
  /**
   * TEST-ONLY fault injection (k3os_test.fail_stage=<phase>): returns the
   * phase name to fail before it runs, read anew before each phase.
   */
  failStage?: () => string | undefined;
}

/**
 * Runs a sequence phase by phase. The sequence is recomputed from the node state
 * before each phase (Talos's deferred checks): the first phases are the same
 * for every mode, and the mode phase decides the rest. It is also recomputed
 * after each task of a sequential phase: a task that changes the course (the
 * boot prompt's answer sends the boot to recovery) ends its phase there, and
 * the new sequence goes on from the same position. Logs start, done and
 * duration of each phase and task with a child logger bound to
 * { phase, task }; wraps errors as `boot phase n/m name: ...` with the cause.
 */
export async function runSequence(sequence: (n: NodeState) => Phase[], ctx: BootContext, o: RunOptions): Promise<void> {
  const started = o.clock.now();
  for (let i = 0; ; i++) {
    const phases = sequence(ctx.node);
    const phase = phases[i];
    if (phase === undefined) break;
    const label = `${o.sequenceName} phase ${i + 1}/${phases.length} ${phase.name}`;
    const log = ctx.log.child({ phase: phase.name });
    const t0 = o.clock.now();
    const changedCourse = () => sequence(ctx.node)[i]?.name !== phase.name;
    log.debug(`${label}: start`);
    try {
      if (o.failStage?.() === phase.name) {
        throw new Error(`forced failure (k3os_test.fail_stage=${phase.name}, test-only)`);
      }
      const run = (t: Task) => runTask(t, ctx, phase, o.clock);
      if (phase.concurrent) await Promise.all(phase.tasks.map(run));
      else {
        for (const t of phase.tasks) {
          await run(t);
          if (changedCourse()) break;
        }
      }
    } catch (err) {
      const msg = err instanceof Error ? err.message : String(err);
      throw new BootError(`${label}: ${msg}`, phase.name, err);
    }
    const ms = Math.round(o.clock.now() - t0);
    if (changedCourse()) {
      log.info({ ms }, `${phase.name} cut short: the boot changed course`);
      i--;
      continue;
    }
    log.info({ ms }, `${phase.name} done`);
  }
  ctx.log.info({ ms: Math.round(o.clock.now() - started) }, `${o.sequenceName} sequence done`);
}

async function runTask(t: Task, ctx: BootContext, phase: Phase, clock: Clock): Promise<void> {
  const log = ctx.log.child({ phase: phase.name, task: t.name });
  const t0 = clock.now();
  log.debug('start');
  try {
    await t.run(ctx, log);
  } catch (err) {
    log.debug({ ms: Math.round(clock.now() - t0) }, 'failed');
    throw err instanceof Error ? new Error(`${t.name}: ${err.message}`, { cause: err }) : err;
  }
  log.debug({ ms: Math.round(clock.now() - t0) }, 'done');
}
