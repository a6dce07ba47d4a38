import type { Sys } from '../../sys/types.ts';
import type { Logger } from '../log/logger.ts';
import type { Supervisor } from '../supervisor/supervisor.ts';
import { withDeadline } from '../../lib/time.ts';
import type { PowerAction, Runtime } from '../types.ts';
import type { Clock, Delay } from '../../lib/time.ts';
import type { ShutdownStep } from './plan.ts';

export interface ShutdownDeps {
  sys: Sys;
  runtime: Runtime;
  supervisor: Supervisor;
  log: Logger;
  clock: Clock;
  delay: Delay;
  /** Stops PID 1's owner of that name (network, power button). */
  stopOwner(name: string): Promise<void>;
  /** pids to signal (everything but PID 1 and kernel threads). */
  targets(): number[];
  /** Called before the first unmount: init.log leaves /var. */
  beforeUnmount(): void;
  /** The last line, then power: on a machine reboot(2), in a container process exit. */
  finish(action: PowerAction, line: string): Promise<void>;
}

const POWER_WORD: Record<PowerAction, string> = { reboot: 'reboot', poweroff: 'poweroff', halt: 'halt' };

/**
 * Runs the plan; every step has a deadline and a failing step is logged and
 * passed, because a hung umount must never stop the reboot.
 */
export async function executeShutdown(steps: readonly ShutdownStep[], d: ShutdownDeps, startedAt: number): Promise<void> {
  let failures = 0;
  let detached = false;
  for (const step of steps) {
    if (step.kind === 'power') {
      const ms = Math.round(d.clock.now() - startedAt);
      const word = POWER_WORD[step.action];
      const line = failures === 0
        ? `k3os-init: ${word} after clean shutdown in ${ms} ms`
        : `k3os-init: ${word} after shutdown with ${failures} failed steps in ${ms} ms`;
      d.log.debug({ action: step.action, ms, failures }, line.replace(/^k3os-init: /, ''));
      await d.finish(step.action, line);
      return;
    }
    if ((step.kind === 'umount' || step.kind === 'remountReadOnly') && !detached) {
      detached = true;
      d.beforeUnmount();
    }
    const t0 = d.clock.now();
    try {
      await withDeadline(runStep(step, d), 'timeoutMs' in step ? step.timeoutMs : 5_000, describe(step));
      d.log.debug({ step, ms: Math.round(d.clock.now() - t0) }, `shutdown: ${describe(step)}`);
    } catch (err) {
      failures++;
      d.log.warn({ err, step }, `shutdown: ${describe(step)} failed`);
    }
  }
}

function describe(s: ShutdownStep): string {
  switch (s.kind) {
    case 'stopService': return `stop ${s.id}`;
    case 'stopOwner': return `stop ${s.name}`;
    case 'signalAll': return `${s.signal} to all processes`;
    case 'waitAllGone': return 'wait for processes to exit';
    case 'umount': return `umount ${s.target}${s.lazy ? ' (lazy)' : ''}`;
    case 'remountReadOnly': return `remount ${s.target} read-only`;
    case 'sync': return 'sync';
    case 'power': return s.action;
  }
}

async function runStep(s: ShutdownStep, d: ShutdownDeps): Promise<void> {
  switch (s.kind) {
    case 'stopService':
      await d.supervisor.stopService(s.id);
      return;
    case 'stopOwner':
      await d.stopOwner(s.name);
      return;
    case 'signalAll': {
      for (const pid of d.targets()) {
        try {
          d.sys.kill(pid, s.signal);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
        }
      }
      return;
    }
    case 'waitAllGone': {
      const deadline = d.clock.now() + s.timeoutMs - 50;
      while (d.targets().length > 0) {
        if (d.clock.now() >= deadline) throw new Error(`${d.targets().length} processes still running`);
        await d.delay(50);
      }
      return;
    }
    case 'umount':
      try {
        d.sys.umount(s.target, { lazy: s.lazy });
      } catch (err) {
        // EINVAL: not a mountpoint (any more); ENOENT: gone with a parent.
        const code = (err as NodeJS.ErrnoException).code;
        if (code !== 'EINVAL' && code !== 'ENOENT') throw err;
      }
      return;
    case 'remountReadOnly':
      d.sys.mount({ source: 'none', target: s.target, fstype: '', flags: ['remount', 'rdonly'] });
      return;
    case 'sync':
      d.sys.sync();
      return;
    case 'power':
      return;
  }
}
