// k3os.modules: finit_module(2) through sys.loadModule, with parameters
// ("bonding mode=4"), dependencies from modules.dep first, and modules that
// /proc/modules lists skipped. The image ships modules decompressed (.ko).
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { K3OSConfig } from '../config/schema.ts';
import type { ApplyContext, StepOutcome } from './context.ts';
import { applied, failed, skipped } from './context.ts';
import { readOptional, under } from './files.ts';

/** Module names compare with - and _ alike, as the kernel does. */
export const moduleName = (s: string): string => s.replace(/-/g, '_');

export const parseModuleSpec = (spec: string): { name: string; params: string } => {
  const [name = '', ...params] = spec.trim().split(/\s+/);
  return { name, params: params.join(' ') };
};

export const loadedModules = (procModules: string): Set<string> =>
  new Set(procModules.split('\n').map((l) => l.split(' ')[0]!).filter((n) => n !== ''));

/** modules.dep: "kernel/x/a.ko: kernel/y/b.ko kernel/z/c.ko" -> name -> { path, deps } */
export const parseModulesDep = (text: string): Map<string, { path: string; deps: string[] }> => {
  const out = new Map<string, { path: string; deps: string[] }>();
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const file = line.slice(0, colon).trim();
    const deps = line.slice(colon + 1).trim().split(/\s+/).filter((d) => d !== '');
    const base = path.posix.basename(file).replace(/\.ko(\.(xz|gz|zst))?$/, '');
    out.set(moduleName(base), { path: file, deps });
  }
  return out;
};

/** Files to load for one module, dependencies first (modules.dep lists the deepest last). */
export const loadOrder = (name: string, dep: Map<string, { path: string; deps: string[] }>): string[] => {
  const entry = dep.get(moduleName(name));
  if (!entry) throw new Error(`module ${name}: not found in modules.dep`);
  return [...[...entry.deps].reverse(), entry.path];
};

const fileModuleName = (file: string): string => moduleName(path.posix.basename(file).replace(/\.ko(\.(xz|gz|zst))?$/, ''));

export const applyModules = async (config: K3OSConfig, ctx: ApplyContext): Promise<StepOutcome[]> => {
  const specs = config.k3os?.modules ?? [];
  if (specs.length === 0) return [skipped('no modules configured')];
  const loaded = loadedModules(await fs.readFile(path.join(ctx.procDir ?? '/proc', 'modules'), 'utf8'));
  const modDir = under(ctx.root, path.posix.join('/lib/modules', ctx.kernelRelease ?? os.release()));
  const depText = await readOptional(path.join(modDir, 'modules.dep'));
  const dep = parseModulesDep(depText ?? '');
  const out: StepOutcome[] = [];
  for (const spec of specs) {
    const { name, params } = parseModuleSpec(spec);
    if (loaded.has(moduleName(name))) {
      out.push(skipped(`module ${name} already loaded`));
      continue;
    }
    try {
      if (depText === undefined) throw new Error(`module ${name}: no ${path.join(modDir, 'modules.dep')}`);
      for (const file of loadOrder(name, dep)) {
        const mod = fileModuleName(file);
        if (loaded.has(mod)) continue;
        if (!file.endsWith('.ko')) throw new Error(`module ${mod}: ${file} is compressed; the image must ship .ko files`);
        try {
          ctx.sys.loadModule(path.isAbsolute(file) ? under(ctx.root, file) : path.join(modDir, file), mod === moduleName(name) ? params : '');
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
        }
        loaded.add(mod);
      }
      out.push(applied(params ? `module ${name} (${params})` : `module ${name}`));
    } catch (e) {
      out.push(failed(`module ${name}`, e));
    }
  }
  return out;
};
