// Status conditions, computed whole: a merge patch replaces the list, so
// every write carries all three. lastTransitionTime only moves when a
// condition's status flips.
import type { Condition, ConditionType, K3OSConfigStatus } from './resource.ts';
import { CONDITION_TYPES } from './resource.ts';
import type { ApplyResult, ControlStatus, PendingReboot } from '../api/contract.ts';


/** What one reconcile observed for a generation of the spec. */
export type Observation =
  | { kind: 'applied'; generation: number; result: ApplyResult }
  /** The node rejected the spec (init's validation is stricter than the CRD's schema). */
  | { kind: 'invalid'; generation: number; errors: string[] }
  /** The object was created from the node's effective config: nothing to apply. */
  | { kind: 'adopted'; generation: number }
  /**
   * The node booted again since status was written; nothing was applied.
   * `pending` is what PID 1 says still waits for a reboot, against the
   * config this boot started with.
   */
  | { kind: 'rebooted'; generation: number; bootId: string; pending: PendingReboot };

type Verdict = Pick<Condition, 'status' | 'reason' | 'message'>;

const MAX_MESSAGE = 1024;
const clip = (s: string): string => (s.length > MAX_MESSAGE ? `${s.slice(0, MAX_MESSAGE - 1)}…` : s);

const rebootVerdict = (p: PendingReboot): Verdict => {
  const waiting = p.reasons?.length ? p.reasons.join('; ') : (p.rebootKeys ?? []).join(', ') || 'some keys';
  return p.rebootRequired
    ? { status: 'True', reason: 'RebootRequired', message: clip(`takes effect after a reboot: ${waiting}`) }
    : { status: 'False', reason: 'AppliedLive', message: 'everything took effect without a reboot' };
};

const verdictOf = (c: Condition | undefined): Verdict =>
  c ? { status: c.status, reason: c.reason, message: c.message } : { status: 'Unknown', reason: 'NotObserved', message: '' };

function verdicts(o: Observation, prev: readonly Condition[] | undefined): Record<ConditionType, Verdict> {
  switch (o.kind) {
    case 'adopted':
      return {
        Applied: { status: 'True', reason: 'AdoptedFromNode', message: 'spec was created from the node\'s effective config' },
        RebootRequired: { status: 'False', reason: 'NoChange', message: 'nothing to apply' },
        Degraded: { status: 'False', reason: 'AsExpected', message: '' },
      };
    case 'invalid':
      return {
        Applied: { status: 'False', reason: 'InvalidConfig', message: clip(o.errors.join('; ')) },
        RebootRequired: { status: 'False', reason: 'NotApplied', message: 'the spec was rejected; nothing changed' },
        Degraded: { status: 'True', reason: 'InvalidConfig', message: clip(o.errors.join('; ')) },
      };
    case 'applied': {
      const { applied, failed } = o.result;
      const failures = failed.map((f) => `${f.key}: ${f.error}`).join('; ');
      return {
        Applied: failed.length === 0
          ? { status: 'True', reason: 'Applied', message: applied.length ? `applied ${applied.join(', ')}` : 'no change needed' }
          : { status: 'False', reason: 'PartiallyApplied', message: clip(`failed ${failed.map((f) => f.key).join(', ')}; applied ${applied.join(', ') || 'nothing'}`) },
        RebootRequired: rebootVerdict(o.result),
        Degraded: failed.length === 0
          ? { status: 'False', reason: 'AsExpected', message: '' }
          : { status: 'True', reason: 'ApplyFailed', message: clip(failures) },
      };
    }
    case 'rebooted': {
      // A reboot changes only what waited for it: Applied and Degraded
      // describe the generation, which is the same one.
      const was = prev?.find((c) => c.type === 'RebootRequired');
      return {
        Applied: verdictOf(prev?.find((c) => c.type === 'Applied')),
        RebootRequired: o.pending.rebootRequired ? rebootVerdict(o.pending)
          : was?.status === 'False' ? verdictOf(was)
          : { status: 'False', reason: 'Rebooted', message: `boot ${o.bootId} runs the spec; nothing waits for a reboot` },
        Degraded: verdictOf(prev?.find((c) => c.type === 'Degraded')),
      };
    }
  }
}

/**
 * Whether status must be refreshed because the node booted again since it
 * was written: the bootID in status differs from the running one. Only when
 * the spec needs no apply (a new generation is sent to PID 1 anyway, and its
 * answer is computed against the new boot) and there are conditions to
 * refresh. PID 1 without `pendingReboot` applies nothing live, so the boot
 * runs what was persisted and nothing waits.
 */
export function rebootObservation(
  status: K3OSConfigStatus | undefined, generation: number, node: Pick<ControlStatus, 'bootId' | 'pendingReboot'>,
): Extract<Observation, { kind: 'rebooted' }> | undefined {
  const seen = status?.node?.bootID;
  if (!seen || seen === node.bootId || !status?.conditions?.length) return undefined;
  if ((status.observedGeneration ?? 0) < generation) return undefined;
  return { kind: 'rebooted', generation, bootId: node.bootId, pending: node.pendingReboot ?? { rebootRequired: false } };
}

export function nextConditions(prev: readonly Condition[] | undefined, o: Observation, now: Date): Condition[] {
  const stamp = now.toISOString().replace(/\.\d+Z$/, 'Z');
  const v = verdicts(o, prev);
  return CONDITION_TYPES.map((type) => {
    const old = prev?.find((c) => c.type === type);
    const next = v[type];
    return {
      type,
      ...next,
      observedGeneration: o.generation,
      lastTransitionTime: old && old.status === next.status ? old.lastTransitionTime : stamp,
    };
  });
}

/** The Event for an observation: Normal when it all applied, Warning otherwise. */
export function eventFor(o: Observation): { type: 'Normal' | 'Warning'; reason: string; message: string } {
  if (o.kind === 'rebooted') {
    const waiting = o.pending.rebootRequired ? rebootVerdict(o.pending).message : 'nothing waits for a reboot';
    return { type: 'Normal', reason: 'Rebooted', message: `boot ${o.bootId}, generation ${o.generation}: ${waiting}` };
  }
  const c = verdicts(o, undefined);
  if (o.kind === 'invalid') return { type: 'Warning', reason: 'InvalidConfig', message: `generation ${o.generation}: ${c.Applied.message}` };
  if (c.Degraded.status === 'True') return { type: 'Warning', reason: 'ApplyFailed', message: `generation ${o.generation}: ${c.Degraded.message}` };
  const reboot = c.RebootRequired.status === 'True' ? `; ${c.RebootRequired.message}` : '';
  return { type: 'Normal', reason: o.kind === 'adopted' ? 'Adopted' : 'Applied', message: `generation ${o.generation}: ${c.Applied.message}${reboot}` };
}
