// Shared by the apply tests: a temp root and a recording context.
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ApplyContext } from '../../src/apply/context.ts';
import type { ExitStatus } from '../../src/sys/types.ts';

export const tempRoot = (files: Record<string, string> = {}): string => {
  const root = mkdtempSync(path.join(tmpdir(), 'k3os-apply-'));
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, p)), { recursive: true });
    writeFileSync(path.join(root, p), text);
  }
  return root;
};

export interface Recorded { hostnames: string[]; modules: Array<[string, string]>; runs: string[][] }

export const recordingCtx = (root: string, opts: Partial<ApplyContext> & { exits?: Record<string, number> } = {}): ApplyContext & { rec: Recorded } => {
  const rec: Recorded = { hostnames: [], modules: [], runs: [] };
  const quiet = () => {};
  return {
    rec,
    root,
    sys: {
      sethostname: (n) => { rec.hostnames.push(n); },
      loadModule: (p, params) => { rec.modules.push([p, params]); },
    },
    log: { info: quiet, warn: quiet, error: quiet, debug: quiet },
    run: async (argv): Promise<ExitStatus> => {
      rec.runs.push([...argv]);
      return { pid: 1, code: opts.exits?.[argv[2]!] ?? 0, signal: null };
    },
    ...opts,
  };
};
