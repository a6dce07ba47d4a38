// applyPhase: run every step of a phase (config/phases.ts) in order. A step
// that throws becomes a failed entry and the next step still runs; the
// report lists every outcome and collects every error.
import type { ConfigPhase, Step } from '../config/phases.ts';
import { PHASE_STEPS } from '../config/phases.ts';
import type { K3OSConfig } from '../config/schema.ts';
import { runCommands } from './commands.ts';
import type { ApplyContext, PhaseReport, ReportEntry, StepOutcome } from './context.ts';
import { failed } from './context.ts';
import { applyEnvironment } from './environment.ts';
import { applyHostname } from './hostname.ts';
import { applyModules } from './modules.ts';
import { applyPassword } from './password.ts';
import { applySshKeys } from './ssh-keys.ts';
import { applySysctls } from './sysctls.ts';
import { applyWriteFiles } from './write-files.ts';

type Applier = (config: K3OSConfig, ctx: ApplyContext, phase: ConfigPhase) => Promise<StepOutcome[]>;

export const APPLIERS: Readonly<Record<Step, Applier>> = {
  modules: applyModules,
  sysctls: applySysctls,
  hostname: applyHostname,
  password: applyPassword,
  ssh_authorized_keys: (c, ctx, phase) => applySshKeys(c, ctx, phase === 'runtime'),
  write_files: applyWriteFiles,
  environment: applyEnvironment,
  init_cmd: (c, ctx) => runCommands(c.init_cmd, ctx),
  boot_cmd: (c, ctx) => runCommands(c.boot_cmd, ctx),
  run_cmd: (c, ctx) => runCommands(c.run_cmd, ctx),
};

export const applyPhase = async (phase: ConfigPhase, config: K3OSConfig, ctx: ApplyContext): Promise<PhaseReport> => {
  const entries: ReportEntry[] = [];
  for (const step of PHASE_STEPS[phase]) {
    let outcomes: StepOutcome[];
    try {
      outcomes = await APPLIERS[step](config, ctx, phase);
    } catch (e) {
      outcomes = [failed(step, e)];
    }
    for (const o of outcomes) {
      entries.push({ phase, step, ...o });
      const fields = { phase, step, status: o.status, detail: o.detail };
      if (o.error) ctx.log.error({ ...fields, err: o.error }, `config ${phase} ${step}: ${o.error.message}`);
      else ctx.log.debug(fields, `config ${phase} ${step}: ${o.detail}`);
    }
  }
  return { phase, entries, errors: entries.flatMap((e) => (e.error ? [e.error] : [])) };
};
