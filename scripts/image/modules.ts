// Kernel module selection for the image, decided from the kernel's own modules.dep.

/** modules.dep as a map: module path (relative to /lib/modules/<ver>) -> its direct dependencies. */
export type ModuleDeps = ReadonlyMap<string, readonly string[]>;

export const parseModulesDep = (text: string): ModuleDeps => {
  const deps = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const rest = line.slice(colon + 1).trim();
    deps.set(line.slice(0, colon), rest === '' ? [] : rest.split(/\s+/));
  }
  return deps;
};

/** Module name as the kernel sees it: file name without .ko, dashes as underscores. */
export const moduleName = (path: string): string =>
  (path.split('/').pop() ?? path).replace(/\.ko(\.\w+)?$/, '').replaceAll('-', '_');

const resolve = (deps: ModuleDeps, name: string): string => {
  const wanted = name.replaceAll('-', '_');
  for (const path of deps.keys()) if (moduleName(path) === wanted) return path;
  throw new Error(`module ${name}: not in modules.dep`);
};

/**
 * The modules to load for `names`, each after everything it depends on, without duplicates.
 * Names that are built into the kernel (listed in `builtin`) are skipped.
 */
export const loadOrder = (deps: ModuleDeps, names: readonly string[], builtin: ReadonlySet<string> = new Set()): string[] => {
  const order: string[] = [];
  const seen = new Set<string>();
  const visit = (path: string, chain: readonly string[]): void => {
    if (seen.has(path)) return;
    if (chain.includes(path)) throw new Error(`module ${path}: dependency cycle via ${chain.join(' -> ')}`);
    for (const dep of deps.get(path) ?? []) visit(dep, [...chain, path]);
    seen.add(path);
    order.push(path);
  };
  for (const name of names) {
    if (builtin.has(name.replaceAll('-', '_'))) continue;
    visit(resolve(deps, name), []);
  }
  return order;
};

/** Every module under one of `dirs` (relative paths, e.g. kernel/net/netfilter/) plus their dependencies. */
export const closureUnder = (deps: ModuleDeps, dirs: readonly string[]): string[] =>
  loadOrder(deps, [...deps.keys()].filter((p) => dirs.some((d) => p.startsWith(d))).map(moduleName));

/** modules.builtin lists paths of built-in modules; the names are what modprobe would be asked for. */
export const parseBuiltin = (text: string): Set<string> =>
  new Set(text.split('\n').filter((l) => l.trim() !== '').map(moduleName));
