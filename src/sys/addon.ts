// Finds and loads the native addon (native/, k3os.node). Lookup order:
//   1. $K3OS_ADDON
//   2. k3os.node beside the running file (the image ships it beside the bundles)
//   3. native/build/Release/k3os.node in the repository, found by walking up
//      from the running file (src/sys/ in tests, dist/ for local bundles)
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The addon's exports: thin, positional, already-checked arguments. */
export interface NativeAddon {
  errnoError(errno: number, syscall: string, path?: string): NodeJS.ErrnoException;
  mount(source: string | null, target: string, fstype: string | null, flags: number, data: string | null): void;
  umount2(target: string, flags: number): void;
  reboot(cmd: number): void;
  sync(): void;
  sethostname(name: string): void;
  finitModule(fd: number, params: string, flags: number, path?: string): void;
  pipe(): [number, number];
  spawn(
    file: string,
    argv: readonly string[],
    envp: readonly string[],
    cwd: string | null,
    stdio: readonly [number, number, number],
    setsid: boolean,
    controllingTty: boolean,
    uid: number,
    gid: number,
  ): number;
  startReaper(listener: (pid: number, code: number | null, signal: number | null) => void): void;
  stopReaper(): void;
  /** Whether the running reaper keeps the event loop alive. */
  refReaper(on: boolean): void;
  setChildSubreaper(on: boolean): void;
  readonly mountConstants: Readonly<Record<string, number>>;
  readonly rebootConstants: Readonly<Record<string, number>>;
}

const ADDON_FILE = 'k3os.node';
const REPO_ADDON = join('native', 'build', 'Release', ADDON_FILE);

/** Where the addon would be loaded from; null if no candidate exists. */
export function findAddon(env: NodeJS.ProcessEnv = process.env, fromUrl: string = import.meta.url): string | null {
  if (env.K3OS_ADDON) return env.K3OS_ADDON;
  const here = dirname(fileURLToPath(fromUrl));
  const beside = join(here, ADDON_FILE);
  if (existsSync(beside)) return beside;
  for (let dir = here; ; dir = dirname(dir)) {
    const candidate = join(dir, REPO_ADDON);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return null;
  }
}

let loaded: NativeAddon | undefined;

export function loadAddon(): NativeAddon {
  if (loaded) return loaded;
  const path = findAddon();
  if (!path) {
    throw new Error(
      `k3os addon not found: set K3OS_ADDON, put ${ADDON_FILE} beside ${fileURLToPath(import.meta.url)}, or run \`make addon\``,
    );
  }
  loaded = createRequire(import.meta.url)(path) as NativeAddon;
  return loaded;
}
