// The public face of src/apply.
export type { ApplyContext, ApplyLog, PhaseReport, ReportEntry, StepOutcome } from './context.ts';
export { applyPhase, APPLIERS } from './phase.ts';
export type { K3sCommand } from './k3s-args.ts';
export { k3sArgs } from './k3s-args.ts';
export { CONFIG_PATHS, loadNodeConfig, readConfigSources, readLastGood, saveLastGood } from './read-sources.ts';
export { sha512Crypt } from '../config/sha512-crypt.ts';
