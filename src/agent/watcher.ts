// The informer on this node's own K3OSConfig (fieldSelector
// metadata.name=<node>). client-node's ListWatch relists after 410 and
// resumes after clean watch ends, but stops for good on other errors, so
// this owner restarts it with capped backoff. Watches ask for bookmarks and
// a long server-side timeout, so an idle agent sends no requests.
import { ListWatch, Watch, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import type { Owned } from '../lib/owned.ts';
import { backoffDelay } from '../lib/backoff.ts';
import { realDelay, type Delay } from '../lib/time.ts';
import { AGENT_BACKOFF } from './coalescer.ts';

export interface OwnObjectWatchOptions {
  kc: KubeConfig;
  /** Collection path, e.g. /apis/k3os.io/v1/k3osconfigs */
  path: string;
  name: string;
  list: () => Promise<{ items: KubernetesObject[]; metadata?: { resourceVersion?: string } }>;
  /** Any change to the object, and every (re)connect: the reconciler reads fresh state. */
  onChange: (why: string) => void;
  onError: (err: unknown, attempt: number) => void;
  delay?: Delay;
  /** Server-side watch timeout; client-go picks 5-10 minutes. */
  watchTimeoutSeconds?: number;
}

export class OwnObjectWatch implements Owned {
  readonly name = 'k3osconfig-watch';
  private readonly opts: OwnObjectWatchOptions;
  private lw: ListWatch<KubernetesObject> | undefined;
  private abort = new AbortController();
  private restarting: Promise<void> | undefined;
  private attempt = 0;
  private stopped = true;

  constructor(opts: OwnObjectWatchOptions) {
    this.opts = opts;
  }

  async start(): Promise<void> {
    if (!this.stopped) return;
    this.stopped = false;
    this.abort = new AbortController();
    const timeoutSeconds = this.opts.watchTimeoutSeconds ?? 300 + Math.floor(Math.random() * 300);
    const watch = new Watch(this.opts.kc);
    // client-node aborts a watch after 30 s without data; kube-apiserver sends bookmarks about once a
    // minute, so a quiet watch would be torn down and reopened forever. The field is private in the
    // typings but is the documented knob in the source (watch.ts); longer than the server timeout.
    (watch as unknown as { requestTimeoutMs: number }).requestTimeoutMs = (timeoutSeconds + 60) * 1000;
    const withBookmarks = {
      watch: (path: string, params: Record<string, unknown>, cb: (phase: string, obj: unknown, raw: unknown) => void, done: (err: unknown) => void) =>
        watch.watch(path, { ...params, allowWatchBookmarks: true, timeoutSeconds }, cb, done),
    } as unknown as Watch;
    const lw = new ListWatch<KubernetesObject>(this.opts.path, withBookmarks, this.opts.list, false, undefined, `metadata.name=${this.opts.name}`);
    lw.on('add', () => this.changed('add'));
    lw.on('update', () => this.changed('update'));
    lw.on('delete', () => this.changed('delete'));
    lw.on('connect', () => this.changed('connect'));
    lw.on('error', (err) => this.failed(err));
    this.lw = lw;
    await lw.start();
  }

  private changed(why: string): void {
    if (why !== 'connect') this.attempt = 0;
    this.opts.onChange(why);
  }

  private failed(err: unknown): void {
    if (this.stopped) return;
    this.opts.onError(err, this.attempt);
    const ms = backoffDelay(this.attempt++, AGENT_BACKOFF);
    this.restarting = (async () => {
      await (this.opts.delay ?? realDelay)(ms, this.abort.signal);
      if (!this.stopped) await this.lw?.start();
    })().catch((e) => this.failed(e)).finally(() => { this.restarting = undefined; });
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.abort.abort();
    await this.lw?.stop();
    await this.restarting;
  }
}
