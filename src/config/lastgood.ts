// Bad config is never fatal: a load without errors becomes the new "last
// good" config; a load with errors keeps the last good one (when there is
// one) and reports the errors. Pure: the caller reads and writes the file.
import type { ConfigIssue } from './issues.ts';
import type { LoadResult } from './load.ts';
import type { K3OSConfig } from './schema.ts';

export const LAST_GOOD_PATH = '/var/lib/rancher/k3os/last-good.yaml';

export interface ConfigDecision {
  /** The config to apply. */
  config: K3OSConfig;
  /** Write `config` as the new last good config. */
  save: boolean;
  /** Which config this is. */
  origin: 'loaded' | 'last-good' | 'loaded-with-errors';
  errors: ConfigIssue[];
  warnings: ConfigIssue[];
}

export const decideConfig = (loaded: LoadResult, lastGood: K3OSConfig | undefined): ConfigDecision => {
  const { errors, warnings } = loaded;
  if (errors.length === 0) return { config: loaded.config, save: true, origin: 'loaded', errors, warnings };
  if (lastGood) return { config: lastGood, save: false, origin: 'last-good', errors, warnings };
  // First boot with a broken config: the valid parts are better than nothing.
  return { config: loaded.config, save: false, origin: 'loaded-with-errors', errors, warnings };
};
