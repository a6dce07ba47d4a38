// Live config in PID 1: PUT /v1/config writes the desired runtime config as
// config.d/90-k3osconfig.yaml (atomically), then the node's effective config
// is re-read in k3OS merge order and the difference applied live; SIGHUP
// re-reads and applies the same way. One change at a time: requests queue.
import path from 'node:path';
import { dumpYaml, formatIssue, type K3OSConfig } from '../../config/index.ts';
import { CONFIG_PATHS, loadNodeConfig, type ApplyContext } from '../../apply/index.ts';
import { under } from '../../apply/files.ts';
import { writeFileAtomic } from '../../lib/atomic-write.ts';
import type { ApplyFailure, ApplyResult } from '../../api/contract.ts';
import type { Logger } from '../log/logger.ts';
import type { SecretScrubber } from '../log/redact.ts';
import type { NodeState } from '../node-state.ts';
import { executeLivePlan, type LiveEffects } from './execute.ts';
import { canonicalHash } from '../../lib/hash.ts';
import { carry, planLiveApply, rebootBaseline, type RebootBaseline } from './plan.ts';
import type { PendingReboot } from '../../api/contract.ts';

export const DESIRED_CONFIG = path.posix.join(CONFIG_PATHS.configD, '90-k3osconfig.yaml');

export interface LiveResult extends ApplyResult {
  reasons: string[];
  hash: string;
}

export interface LiveConfigDeps {
  /** The node's effective config is read from and recorded here. */
  node: Pick<NodeState, 'config' | 'cmdline' | 'configInEffect'>;
  log: Logger;
  /** "/" on a node. */
  root: string;
  applyContext: ApplyContext;
  restartK3s(next: K3OSConfig): Promise<void>;
  /** False in a container: the host's kernel is not ours to change. */
  kernelIsOurs: boolean;
  /** Learns the secrets of each config read, before anything about it is logged. */
  secrets?: Pick<SecretScrubber, 'addConfig'>;
}


export class LiveConfig {
  readonly #d: LiveConfigDeps;
  #queue: Promise<unknown> = Promise.resolve();
  #baseline?: RebootBaseline;
  #pending: PendingReboot = { rebootRequired: false, reasons: [], rebootKeys: [] };

  constructor(deps: LiveConfigDeps) {
    this.#d = deps;
  }

  /** PUT /v1/config: `desired` is already validated. */
  put(desired: K3OSConfig): Promise<LiveResult> {
    return this.#serial(async () => {
      await writeFileAtomic(under(this.#d.root, DESIRED_CONFIG), dumpYaml(desired), { dirMode: 0o755, mode: 0o600 });
      this.#d.log.info({ file: DESIRED_CONFIG }, 'config: desired runtime config written');
      return this.#reload('control API', canonicalHash(desired));
    });
  }

  /** What the applied config leaves waiting for a reboot of this boot (GET /v1/status). */
  pendingReboot(): PendingReboot {
    return this.#pending;
  }

  // The node's config is the boot config until the first live apply replaces it.
  #base(): RebootBaseline {
    this.#baseline ??= rebootBaseline(this.#d.node.config ?? {});
    return this.#baseline;
  }

  /** SIGHUP: re-read every source and apply the difference. */
  reload(reason: string): Promise<LiveResult> {
    return this.#serial(() => this.#reload(reason));
  }

  #serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(fn, fn);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #reload(reason: string, desiredHash?: string): Promise<LiveResult> {
    const { node, log } = this.#d;
    const previous = node.config ?? {};
    const decision = await loadNodeConfig(this.#d.root, { cmdline: node.cmdline.text });
    this.#d.secrets?.addConfig(decision.config);
    for (const w of decision.warnings) log.warn({ issue: w }, `config: ${formatIssue(w)}`);
    const loadFailures: ApplyFailure[] = decision.errors.map((e) => ({ key: e.path || e.source, error: formatIssue(e) }));
    const next = decision.config;
    const plan = planLiveApply(previous, next, this.#base());
    const fx: LiveEffects = { apply: this.#d.applyContext, restartK3s: (c) => this.#d.restartK3s(c) };
    // In a container only k3s is ours; the kernel settings belong to the host.
    const actions = this.#d.kernelIsOurs ? plan.actions : plan.actions.filter((a) => a.kind === 'restartK3s');
    const outcome = await executeLivePlan({ ...plan, actions }, next, fx);
    node.configInEffect(next);
    this.#baseline = carry(this.#base(), next);
    this.#pending = { rebootRequired: plan.rebootRequired, reasons: plan.reasons, rebootKeys: plan.rebootKeys };
    const result: LiveResult = {
      applied: outcome.applied,
      failed: [...loadFailures, ...outcome.failed],
      rebootRequired: plan.rebootRequired,
      rebootKeys: plan.rebootKeys,
      reasons: plan.reasons,
      hash: desiredHash ?? canonicalHash(next),
    };
    const summary = `config applied live (${reason}): ${result.applied.join(', ') || 'no change'}`
      + `${result.failed.length ? `; failed ${result.failed.map((f) => f.key).join(', ')}` : ''}`
      + `${result.rebootRequired ? `; reboot required for ${result.rebootKeys?.join(', ')}` : ''}`;
    if (result.failed.length > 0) log.error({ failed: result.failed, origin: decision.origin }, summary);
    else log.info({ applied: result.applied, rebootKeys: result.rebootKeys, origin: decision.origin }, summary);
    return result;
  }
}
