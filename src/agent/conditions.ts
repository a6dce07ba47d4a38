// Status conditions, computed whole: a merge patch replaces the list, so
// every write carries all three. lastTransitionTime only moves when a
// condition's status flips.
import type { Condition, ConditionType } from './resource.ts';
import { CONDITION_TYPES } from './resource.ts';
import type { ApplyResult } from '../init/control/types.ts';

/** What one reconcile observed for a generation of the spec. */
export type Observation =
  | { kind: 'applied'; generation: number; result: ApplyResult }
  /** The node rejected the spec (init's validation is stricter than the CRD's schema). */
  | { kind: 'invalid'; generation: number; errors: string[] }
  /** The object was created from the node's effective config: nothing to apply. */
  | { kind: 'adopted'; generation: number };

type Verdict = Pick<Condition, 'status' | 'reason' | 'message'>;

const MAX_MESSAGE = 1024;
const clip = (s: string): string => (s.length > MAX_MESSAGE ? `${s.slice(0, MAX_MESSAGE - 1)}…` : s);

function verdicts(o: Observation): Record<ConditionType, Verdict> {
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
      const { applied, failed, rebootRequired, rebootKeys, reasons } = o.result;
      const waiting = reasons?.length ? reasons.join('; ') : (rebootKeys ?? []).join(', ') || 'some keys';
      const failures = failed.map((f) => `${f.key}: ${f.error}`).join('; ');
      return {
        Applied: failed.length === 0
          ? { status: 'True', reason: 'Applied', message: applied.length ? `applied ${applied.join(', ')}` : 'no change needed' }
          : { status: 'False', reason: 'PartiallyApplied', message: clip(`failed ${failed.map((f) => f.key).join(', ')}; applied ${applied.join(', ') || 'nothing'}`) },
        RebootRequired: rebootRequired
          ? { status: 'True', reason: 'RebootRequired', message: clip(`takes effect after a reboot: ${waiting}`) }
          : { status: 'False', reason: 'AppliedLive', message: 'everything took effect without a reboot' },
        Degraded: failed.length === 0
          ? { status: 'False', reason: 'AsExpected', message: '' }
          : { status: 'True', reason: 'ApplyFailed', message: clip(failures) },
      };
    }
  }
}

export function nextConditions(prev: readonly Condition[] | undefined, o: Observation, now: Date): Condition[] {
  const stamp = now.toISOString().replace(/\.\d+Z$/, 'Z');
  const v = verdicts(o);
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
  const c = verdicts(o);
  if (o.kind === 'invalid') return { type: 'Warning', reason: 'InvalidConfig', message: `generation ${o.generation}: ${c.Applied.message}` };
  if (c.Degraded.status === 'True') return { type: 'Warning', reason: 'ApplyFailed', message: `generation ${o.generation}: ${c.Degraded.message}` };
  const reboot = c.RebootRequired.status === 'True' ? `; ${c.RebootRequired.message}` : '';
  return { type: 'Normal', reason: o.kind === 'adopted' ? 'Adopted' : 'Applied', message: `generation ${o.generation}: ${c.Applied.message}${reboot}` };
}
