// Config out: YAML for humans (`k3os config --dump`, last-good.yaml) and
// JSON for programs, with keys in schema order.
import { stringify } from 'yaml';
import type { K3OSConfig } from './schema.ts';

export const dumpYaml = (config: K3OSConfig): string => stringify(config, { lineWidth: 0 });
export const dumpJson = (config: K3OSConfig): string => `${JSON.stringify(config, null, 2)}\n`;
