// The agent as one owned object: a ControllerManager running this node's
// K3OSConfig controller (the watch on the object feeding the reconciler).
// start()/stop() are idempotent; stop() resolves once the watch and the
// reconcile in flight have settled.
import type { KubeConfig, KubernetesObject } from '@kubernetes/client-node';
import type { Owned } from '../lib/owned.ts';
import type { Delay } from '../lib/time.ts';
import type { ControlClient } from '../api/client.ts';
import { ControllerManager, type Controller } from './controllers.ts';
import { createKubeApi, type KubeApi } from './kube-api.ts';
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

function nodeConfigController(o: AgentOptions): Controller {
  const kube = o.kube ?? createKubeApi(o.kc);
  const reconcile = createReconciler({ nodeName: o.nodeName, kube, control: o.control, now: o.now ?? (() => new Date()), log: o.log });
  return {
    name: 'k3osconfig',
    watch: (trigger, failed) => new OwnObjectWatch({
      kc: o.kc,
      path: `/apis/${GROUP}/${VERSION}/${PLURAL}`,
      name: o.nodeName,
      list: () => kube.listConfigs(`metadata.name=${o.nodeName}`) as Promise<{ items: KubernetesObject[] }>,
      onChange: trigger,
      onError: failed,
      ...(o.delay ? { delay: o.delay } : {}),
      ...(o.watchTimeoutSeconds ? { watchTimeoutSeconds: o.watchTimeoutSeconds } : {}),
    }),
    reconcile: async () => { const outcome = await reconcile(); o.onReconciled?.(outcome); },
  };
}

export class Agent implements Owned {
  readonly name = 'agent';
  private readonly controllers: ControllerManager;

  constructor(o: AgentOptions) {
    this.controllers = new ControllerManager({
      controllers: [nodeConfigController(o)],
      log: o.log,
      ...(o.delay ? { delay: o.delay } : {}),
    });
  }

  start(): Promise<void> { return this.controllers.start(); }

  stop(): Promise<void> { return this.controllers.stop(); }

  /** Resolves when no reconcile is running or pending. */
  idle(): Promise<void> { return this.controllers.idle(); }
}
