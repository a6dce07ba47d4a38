// The agent runs several controllers (this node's K3OSConfig; in round 2
// the upgrade rollout). Each is a watch that says "something changed" and a
// reconcile that reads fresh state, plans and acts. The manager gives each
// its own Coalescer, so one controller's burst or failing retries never
// delay another's, and owns the start/stop order for all of them.
import type { Owned } from '../lib/owned.ts';
import type { Delay } from '../lib/time.ts';
import { Coalescer } from './coalescer.ts';
import { apiMessage } from './kube-api.ts';
import type { AgentLog } from './reconciler.ts';

export interface Controller {
  /** Names the controller in logs. */
  readonly name: string;
  /**
   * Builds the change source, once. It calls trigger on every change (and
   * reconnect) and failed for each error it recovers from by itself.
   */
  watch(trigger: () => void, failed: (err: unknown, attempt: number) => void): Owned;
  /** One pass: read fresh state, plan, act. A throw is retried with AGENT_BACKOFF. */
  reconcile(): Promise<void>;
}

export interface ControllerManagerOptions {
  controllers: readonly Controller[];
  log: AgentLog;
  delay?: Delay;
}

interface Running {
  queue: Coalescer;
  watch: Owned;
}

export class ControllerManager implements Owned {
  readonly name = 'controllers';
  private readonly running: readonly Running[];
  private started = false;
  /** Counts triggers, so idle() can tell that no controller was woken while it waited. */
  private triggers = 0;

  constructor(o: ControllerManagerOptions) {
    this.running = o.controllers.map((c) => {
      const queue = new Coalescer({
        name: c.name,
        run: () => c.reconcile(),
        onError: (err, attempt) => o.log.warn({ controller: c.name, err: apiMessage(err), attempt }, 'agent: reconcile failed, retrying'),
        ...(o.delay ? { delay: o.delay } : {}),
      });
      const watch = c.watch(
        () => { this.triggers++; queue.trigger(); },
        (err, attempt) => o.log.warn({ controller: c.name, err: apiMessage(err), attempt }, 'agent: watch failed, restarting'),
      );
      return { queue, watch };
    });
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    await Promise.all(this.running.map((r) => r.queue.start()));
    // The first reconcile does not wait for the watch: it may have to create what the watch looks for.
    for (const r of this.running) { this.triggers++; r.queue.trigger(); }
    await Promise.all(this.running.map((r) => r.watch.start()));
  }

  /** Watches first, so nothing triggers a queue that is stopping; resolves once every run in flight has settled. */
  async stop(): Promise<void> {
    this.started = false;
    await Promise.all(this.running.map((r) => r.watch.stop()));
    await Promise.all(this.running.map((r) => r.queue.stop()));
  }

  /** Resolves when no controller has a run in flight or pending, even if one's run triggered another. */
  async idle(): Promise<void> {
    let seen: number;
    do {
      seen = this.triggers;
      await Promise.all(this.running.map((r) => r.queue.idle()));
    } while (seen !== this.triggers);
  }
}
