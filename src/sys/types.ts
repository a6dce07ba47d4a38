// The contract between PID 1 and the kernel. src/init depends only on this
// interface, so the boot sequence runs against a recording fake in unit tests
// and against the native addon (src/sys/linux.ts) in ns and vm tests.
//
// Every failing call throws the shape node:fs throws:
//   { code: 'EBUSY', errno: -16, syscall: 'umount2', path: '/var',
//     message: "EBUSY: device or resource busy, umount2 '/var'" }

export type MountFlag =
  | 'rdonly' | 'nosuid' | 'nodev' | 'noexec' | 'remount' | 'bind' | 'rec'
  | 'private' | 'slave' | 'shared' | 'relatime' | 'noatime' | 'move';

export interface MountSpec {
  source: string;
  target: string;
  fstype: string;
  flags: readonly MountFlag[];
  data?: string;
}

export interface UmountOptions {
  /** MNT_DETACH: lazy unmount, used for API filesystems at shutdown. */
  lazy?: boolean;
  /** MNT_FORCE */
  force?: boolean;
}

export type RebootCommand = 'restart' | 'poweroff' | 'halt' | 'cadOff' | 'cadOn';

/** An fd the child gets at 0, 1 or 2; 'null' opens /dev/null. */
export type StdioSpec = 'null' | { fd: number };

export interface SpawnSpec {
  /** Path of the program; defaults to argv[0]. No PATH search. */
  file?: string;
  argv: readonly string[];
  env: Readonly<Record<string, string>>;
  cwd?: string;
  stdin?: StdioSpec;
  stdout?: StdioSpec;
  stderr?: StdioSpec;
  /** New session (setsid) in the child. */
  setsid?: boolean;
  /** Make stdin the child's controlling terminal (TIOCSCTTY); implies setsid. */
  controllingTty?: boolean;
  uid?: number;
  gid?: number;
}

export interface ExitStatus {
  pid: number;
  /** Exit code, or null when killed by a signal. */
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** One reaper owns waitid(P_ALL); exits fan out by pid. */
export interface Reaper {
  /** Subscribe to one pid's exit; delivered exactly once. Returns unsubscribe. */
  onExit(pid: number, listener: (status: ExitStatus) => void): () => void;
  /** Exits nobody subscribed to (orphans re-parented to us). */
  onOrphan(listener: (status: ExitStatus) => void): () => void;
}

export interface Sys {
  mount(spec: MountSpec): void;
  umount(target: string, options?: UmountOptions): void;
  reboot(command: RebootCommand): void;
  sethostname(name: string): void;
  sync(): void;
  /** finit_module(2) on the file at path, with module parameters. */
  loadModule(path: string, params: string): void;
  /** A pipe whose ends are close-on-exec: [read, write]. */
  pipe(): [number, number];
  /** fork+exec; throws the exec error (ENOENT, EACCES...) synchronously. */
  spawn(spec: SpawnSpec): number;
  kill(pid: number, signal: NodeJS.Signals): void;
  readonly reaper: Reaper;
}
