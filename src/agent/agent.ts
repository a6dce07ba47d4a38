// The agent as one owned object: the watch on this node's K3OSConfig feeds
// a coalescing queue that runs the reconciler. start()/stop() are
// idempotent; stop() resolves once the watch and the reconcile in flight
// have settled.
import type { KubeConfig, KubernetesObject } from '@kubernetes/client-node';
import type { Owned } from '../lib/owned.ts';
import type { Delay } from '../lib/time.ts';
import { Coalescer } from './coalescer.ts';
import type { ControlClient } from '../api/client.ts';
import { apiMessage, createKubeApi, type KubeApi } from './kube-api.ts';
import { createReconciler, type AgentLog, type ReconcileOutcome } from './reconciler.ts';
import { GROUP, PLURAL, VERSION } from './resource.ts';
import { OwnObjectWatch } from './watcher.ts';

export interface AgentOptions {
  kc: KubeConfig;
  nodeName: string;
  control: ControlClient;
  log: AgentLog;
  kube?: KubeApi;
  now?: () => Date;
  delay?: Delay;
  watchTimeoutSeconds?: number;
  /** Called after every reconcile (tests, benchmarks). */
  onReconciled?: (outcome: ReconcileOutcome) => void;
}

export class Agent implements Owned {
  readonly name = 'agent';
  private readonly queue: Coalescer;
  private readonly watch: OwnObjectWatch;

  constructor(o: AgentOptions) {
    const kube = o.kube ?? createKubeApi(o.kc);
    const reconcile = createReconciler({ nodeName: o.nodeName, kube, control: o.control, now: o.now ?? (() => new Date()), log: o.log });
    this.queue = new Coalescer({
      name: 'reconcile',
      run: async () => { const outcome = await reconcile(); o.onReconciled?.(outcome); },
      onError: (err, attempt) => o.log.warn({ err: apiMessage(err), attempt }, 'agent: reconcile failed, retrying'),
      ...(o.delay ? { delay: o.delay } : {}),
    });
    this.watch = new OwnObjectWatch({
      kc: o.kc,
      path: `/apis/${GROUP}/${VERSION}/${PLURAL}`,
      name: o.nodeName,
      list: () => kube.listConfigs(`metadata.name=${o.nodeName}`) as Promise<{ items: KubernetesObject[] }>,
      onChange: () => this.queue.trigger(),
      onError: (err, attempt) => o.log.warn({ err: apiMessage(err), attempt }, 'agent: watch failed, restarting'),
      ...(o.delay ? { delay: o.delay } : {}),
      ...(o.watchTimeoutSeconds ? { watchTimeoutSeconds: o.watchTimeoutSeconds } : {}),
    });
  }

  async start(): Promise<void> {
    await this.queue.start();
    // The first reconcile does not wait for the watch: it creates the object when missing.
    this.queue.trigger();
    await this.watch.start();
  }

  async stop(): Promise<void> {
    await this.watch.stop();
    await this.queue.stop();
  }

  /** Resolves when no reconcile is running or pending. */
  idle(): Promise<void> { return this.queue.idle(); }
}
