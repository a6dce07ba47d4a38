// Runs a LivePlan with the boot appliers (src/apply) and the one effect
// they do not cover: restarting k3s with a new command line. Every action
// runs even when an earlier one failed; the result lists both.
import type { K3OSConfig } from '../../config/schema.ts';
import { APPLIERS, type ApplyContext } from '../../apply/index.ts';
import type { ApplyFailure } from '../../api/contract.ts';
import type { LiveAction, LivePlan } from './plan.ts';

export interface LiveEffects {
  apply: ApplyContext;
  /** Stop k3s and start it again with the argv/env of `next`. */
  restartK3s(next: K3OSConfig): Promise<void>;
}

export interface LiveOutcome {
  applied: string[];
  failed: ApplyFailure[];
}

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

async function run(action: LiveAction, next: K3OSConfig, fx: LiveEffects): Promise<ApplyFailure[]> {
  const key = action.keys.join(',');
  switch (action.kind) {
    case 'step': {
      const outcomes = await APPLIERS[action.step](next, fx.apply, 'runtime');
      return outcomes.filter((o) => o.status === 'failed').map((o) => ({ key, error: o.error ? `${o.detail}: ${o.error.message}` : o.detail }));
    }
    case 'restartK3s':
      await fx.restartK3s(next);
      return [];
  }
}

export async function executeLivePlan(plan: LivePlan, next: K3OSConfig, fx: LiveEffects): Promise<LiveOutcome> {
  const applied: string[] = [];
  const failed: ApplyFailure[] = [];
  for (const action of plan.actions) {
    let f: ApplyFailure[];
    try {
      f = await run(action, next, fx);
    } catch (e) {
      f = [{ key: action.keys.join(','), error: message(e) }];
    }
    if (f.length === 0) applied.push(...action.keys.filter((k) => !applied.includes(k)));
    failed.push(...f);
  }
  return { applied, failed };
}
