// `k3os config`: dump, validate, or apply a phase, as on k3OS.
import { readFile } from 'node:fs/promises';
import { dumpJson, dumpYaml } from '../config/dump.ts';
import type { ConfigIssue } from '../config/issues.ts';
import { formatIssue } from '../config/issues.ts';
import { decideConfig } from '../config/lastgood.ts';
import { loadConfig, loadSource } from '../config/load.ts';
import type { ApplyContext } from '../apply/context.ts';
import { applyPhase } from '../apply/phase.ts';
import { loadNodeConfig, readConfigSources, readLastGood } from '../apply/read-sources.ts';
import type { CliCommand } from './args.ts';
import type { CliOutcome } from './exit-code.ts';

export interface CliIO {
  out(text: string): void;
  err(text: string): void;
  /** Built lazily: only applying a phase touches the kernel. */
  applyContext(root: string): ApplyContext;
}

const report = (io: CliIO, issues: readonly ConfigIssue[]) => {
  for (const i of issues) io.err(`${formatIssue(i)}\n`);
};

export const configCommand = async (cmd: Extract<CliCommand, { command: 'config' }>, io: CliIO): Promise<CliOutcome> => {
  switch (cmd.action) {
    case 'validate': {
      let bad = false;
      for (const file of cmd.files) {
        let text: string;
        try {
          text = await readFile(file, 'utf8');
        } catch (e) {
          io.err(`${file}: error: cannot read: ${(e as Error).message}\n`);
          bad = true;
          continue;
        }
        const r = loadSource({ kind: 'yaml', name: file, text });
        report(io, r.issues);
        const errors = r.issues.filter((i) => i.severity === 'error').length;
        if (errors > 0) bad = true;
        io.out(`${file}: ${errors > 0 ? `${errors} error(s)` : 'ok'}\n`);
      }
      return bad ? 'invalid' : 'ok';
    }
    case 'dump':
    case 'dump-json': {
      const loaded = loadConfig(await readConfigSources(cmd.root));
      const decision = decideConfig(loaded, loaded.errors.length > 0 ? await readLastGood(cmd.root) : undefined);
      report(io, [...decision.errors, ...decision.warnings]);
      if (decision.origin === 'last-good') io.err('config has errors: showing the last good config\n');
      io.out(cmd.action === 'dump' ? dumpYaml(decision.config) : dumpJson(decision.config));
      return decision.errors.length > 0 ? 'invalid' : 'ok';
    }
    case 'initrd':
    case 'boot': {
      const decision = await loadNodeConfig(cmd.root);
      report(io, [...decision.errors, ...decision.warnings]);
      const rep = await applyPhase(cmd.action, decision.config, io.applyContext(cmd.root));
      for (const e of rep.entries) {
        const line = `${e.phase} ${e.step}: ${e.status} ${e.detail}${e.error ? `: ${e.error.message}` : ''}\n`;
        if (e.status === 'failed') io.err(line);
        else io.out(line);
      }
      return decision.errors.length > 0 || rep.errors.length > 0 ? 'failed' : 'ok';
    }
  }
};
