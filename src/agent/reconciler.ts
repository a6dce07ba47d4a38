// One reconcile of this node's K3OSConfig: read it fresh, create it from the
// node's effective config when missing, send a new generation of the spec to
// PID 1 (on a new boot with none, ask PID 1 what still waits for a reboot),
// then write status (whole conditions, via /status), an Event, and the
// Node's labels and taints. Decisions live in conditions.ts and
// node-sync.ts; this file only sequences calls.
import type { CoreV1Event } from '@kubernetes/client-node';
import type { K3OSConfig } from '../config/index.ts';
import type { ApplyFailure } from '../api/contract.ts';
import { eventFor, nextConditions, rebootObservation, type Observation } from './conditions.ts';
import type { ControlClient } from '../api/client.ts';
import { ControlError } from '../api/transport.ts';
import { apiMessage, httpStatus, type KubeApi } from './kube-api.ts';
import { canonicalHash } from '../lib/hash.ts';
import { planNode } from './node-sync.ts';
import type { K3OSConfigObject, NodeFacts } from './resource.ts';
import { withoutSecrets } from '../config/index.ts';
import { API_VERSION, KIND } from './resource.ts';

export interface AgentLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface ReconcilerDeps {
  nodeName: string;
  kube: KubeApi;
  control: ControlClient;
  now: () => Date;
  log: AgentLog;
  /** Namespace for Events about this cluster-scoped object (client-go uses "default"). */
  eventNamespace?: string;
}

export type ReconcileOutcome = 'created' | 'applied' | 'invalid' | 'rebooted' | 'facts' | 'unchanged';

/** PID 1 knows the OS; the kubelet's Node status knows the k3s version when PID 1 does not. */
const factsOf = (s: Awaited<ReturnType<ControlClient['status']>>, kubeletVersion: string | undefined): NodeFacts => {
  const k3sVersion = s.k3s.version ?? kubeletVersion;
  return {
    hostname: s.hostname, osImage: s.os.name, osVersion: s.os.version, kernelVersion: s.kernel, bootID: s.bootId,
    ...(k3sVersion ? { k3sVersion } : {}),
  };
};

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? {}) === JSON.stringify(b ?? {});

export function createReconciler(d: ReconcilerDeps): () => Promise<ReconcileOutcome> {
  const eventNamespace = d.eventNamespace ?? 'default';
  /**
   * What PID 1 answered for a generation whose status write has not
   * succeeded yet. A retry writes this instead of sending the spec again:
   * the second PUT would find nothing left to change and report "no change
   * needed" (and no reboot), hiding what the first one did. A k3s restart
   * makes that the common case: the API server goes away right after PID 1
   * answers.
   */
  let unwritten: { uid: string | undefined; generation: number; observation: Observation } | undefined;

  let kubeletVersion: string | undefined;

  const syncNode = async (spec: K3OSConfig | undefined): Promise<ApplyFailure[]> => {
    const node = await d.kube.getNode(d.nodeName);
    if (!node) return [];
    kubeletVersion = node.status?.nodeInfo?.kubeletVersion || kubeletVersion;
    const plan = planNode(node, spec?.k3os?.labels, spec?.k3os?.taints);
    const failed: ApplyFailure[] = plan.invalidTaints.map((t) => ({ key: 'k3os.taints', error: `"${t}" is not key[=value]:NoSchedule|PreferNoSchedule|NoExecute` }));
    for (const [key, patch] of [['k3os.labels', plan.labels], ['k3os.taints', plan.taints]] as const) {
      if (!patch) continue;
      try {
        await d.kube.patchNode(d.nodeName, patch);
      } catch (e) {
        // A conflict means the Node moved on; the next trigger plans again from fresh state.
        if (httpStatus(e) === 0) throw e;
        failed.push({ key, error: apiMessage(e) });
      }
    }
    return failed;
  };

  const sendSpec = async (spec: K3OSConfig | undefined, generation: number): Promise<Observation> => {
    try {
      return { kind: 'applied', generation, result: await d.control.applyConfig(spec ?? {}) };
    } catch (e) {
      if (!(e instanceof ControlError) || e.status !== 400) throw e;
      const details = e.details as { errors?: string[] } | undefined;
      return { kind: 'invalid', generation, errors: details?.errors ?? [e.message] };
    }
  };

  const recordEvent = async (obj: K3OSConfigObject, o: Observation): Promise<void> => {
    const now = d.now();
    const e = eventFor(o);
    const stamp = now.toISOString();
    const event: CoreV1Event = {
      metadata: { name: `${d.nodeName}.${(BigInt(now.getTime()) * 1_000_000n).toString(16)}`, namespace: eventNamespace },
      involvedObject: { apiVersion: API_VERSION, kind: KIND, name: d.nodeName, uid: obj.metadata.uid, resourceVersion: obj.metadata.resourceVersion },
      reason: e.reason, message: e.message, type: e.type, count: 1,
      firstTimestamp: new Date(stamp), lastTimestamp: new Date(stamp),
      source: { component: 'k3os-agent', host: d.nodeName },
      reportingComponent: 'k3os.io/agent', reportingInstance: d.nodeName,
    };
    try {
      await d.kube.createEvent(eventNamespace, event);
    } catch (err) {
      d.log.warn({ err: apiMessage(err) }, 'agent: could not record event');
    }
  };

  return async () => {
    let obj = await d.kube.getConfig(d.nodeName);
    let created = false;
    if (!obj) {
      // A K3OSConfig is readable by whoever may list them: secrets stay on the node (withoutSecrets).
      const spec = withoutSecrets(await d.control.effectiveConfig());
      try {
        obj = await d.kube.createConfig({ apiVersion: API_VERSION, kind: KIND, metadata: { name: d.nodeName }, spec });
        created = true;
        d.log.info({ node: d.nodeName }, 'agent: created K3OSConfig from the effective config');
      } catch (e) {
        if (httpStatus(e) !== 409) throw e;
        obj = await d.kube.getConfig(d.nodeName);
        if (!obj) throw e;
      }
    }
    const generation = obj.metadata.generation ?? 1;
    const status = obj.status ?? {};
    let observation: Observation | undefined;
    let failed: ApplyFailure[] = [];
    if (created) observation = { kind: 'adopted', generation };
    else if ((status.observedGeneration ?? 0) < generation) {
      observation = unwritten?.uid === obj.metadata.uid && unwritten?.generation === generation
        ? unwritten.observation
        : await sendSpec(obj.spec, generation);
    }
    if (observation) unwritten = { uid: obj.metadata.uid, generation, observation };
    if (observation?.kind !== 'invalid') failed = await syncNode(obj.spec);
    if (observation?.kind === 'applied' && failed.length > 0) {
      observation = { ...observation, result: { ...observation.result, failed: [...observation.result.failed, ...failed] } };
    }
    const running = await d.control.status();
    const facts = factsOf(running, kubeletVersion);
    if (observation) {
      const conditions = nextConditions(status.conditions, observation, d.now());
      const lastError = observation.kind === 'invalid' ? observation.errors.join('; ')
        : observation.kind === 'applied' ? observation.result.failed.map((f) => `${f.key}: ${f.error}`).join('; ') : '';
      await d.kube.patchStatus(d.nodeName, {
        observedGeneration: generation, conditions, node: facts, lastError,
        appliedHash: observation.kind === 'invalid' ? (status.appliedHash ?? '')
          : observation.kind === 'applied' ? (observation.result.hash ?? canonicalHash(obj.spec)) : canonicalHash(obj.spec),
      });
      unwritten = undefined;
      await recordEvent(obj, observation);
      d.log.info({ generation, outcome: observation.kind, lastError }, 'agent: reconciled');
      return observation.kind === 'adopted' ? 'created' : observation.kind === 'invalid' ? 'invalid' : 'applied';
    }
    // Nothing in the spec changed across a reboot, so only the bootID tells
    // that what waited for it has happened; PID 1's pendingReboot says what
    // still waits. Re-sending the spec would answer against the new boot too,
    // but applies it again (k3s restart) for nothing.
    const rebooted = rebootObservation(status, generation, running);
    if (rebooted) {
      await d.kube.patchStatus(d.nodeName, { conditions: nextConditions(status.conditions, rebooted, d.now()), node: facts });
      await recordEvent(obj, rebooted);
      d.log.info({ generation, bootId: running.bootId, rebootRequired: rebooted.pending.rebootRequired }, 'agent: status refreshed after a reboot');
      return 'rebooted';
    }
    if (!same(status.node, facts)) {
      await d.kube.patchStatus(d.nodeName, { node: facts });
      return 'facts';
    }
    return 'unchanged';
  };
}
