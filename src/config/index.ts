// The public face of src/config.
export * from './schema.ts';
export type { ConfigIssue, IssueCode } from './issues.ts';
export { formatIssue } from './issues.ts';
export type { ConfigSource, LoadResult, SourceResult } from './load.ts';
export { loadConfig, loadSource } from './load.ts';
export { CMDLINE_SOURCE, cmdlineEntries, parseCmdline, tokenizeCmdline } from './cmdline.ts';
export { mergeConfigs } from './merge.ts';
export type { ConfigDecision } from './lastgood.ts';
export { decideConfig, LAST_GOOD_PATH } from './lastgood.ts';
export { isSecretPath, REDACTED, redactK3sArgs, redactSecrets, secretValues, SECRET_ENV_NAME, SECRET_KEY_NAME, withoutSecrets } from './secrets.ts';
export { classifyUserdata, metadataConfig, USERDATA_SCRIPT_PATH } from './userdata.ts';
export { dumpJson, dumpYaml } from './dump.ts';
export type { ConfigPhase, Step } from './phases.ts';
export { PHASES, PHASE_STEPS, STEP_KEYS } from './phases.ts';
export { decodeContent } from './encoding.ts';
export { sha512Crypt } from './sha512-crypt.ts';
