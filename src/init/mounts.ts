import type { MountSpec } from '../sys/types.ts';
import type { Mode, Runtime } from './types.ts';

export interface PlannedMount {
  spec: MountSpec;
  /** The kernel may lack it (ENODEV, ENOENT): log and go on. */
  optional?: boolean;
}

const api = (fstype: string, target: string, flags: MountSpec['flags'], data?: string, optional?: boolean): PlannedMount => ({
  spec: { source: fstype, target, fstype, flags, ...(data !== undefined ? { data } : {}) },
  ...(optional ? { optional } : {}),
});

/**
 * Early mounts. A machine gets the full set; a container keeps the host's
 * /sys, /dev and cgroups (it cannot own them) but gets its own /proc (for its
 * PID namespace) and private tmpfs for /run, /tmp and /dev/shm so a test never
 * writes to the host.
 */
export function planMounts(runtime: Runtime): PlannedMount[] {
  if (runtime === 'dev') return [];
  if (runtime === 'container') {
    return [
      { spec: { source: 'none', target: '/', fstype: '', flags: ['rec', 'private'] } },
      api('proc', '/proc', ['nosuid', 'nodev', 'noexec']),
      api('tmpfs', '/dev/shm', ['nosuid', 'nodev'], 'mode=1777'),
      api('tmpfs', '/run', ['nosuid', 'nodev'], 'mode=0755'),
      api('tmpfs', '/tmp', ['nosuid', 'nodev'], 'mode=1777'),
    ];
  }
  return [
    api('proc', '/proc', ['nosuid', 'nodev', 'noexec']),
    api('sysfs', '/sys', ['nosuid', 'nodev', 'noexec']),
    api('devtmpfs', '/dev', ['nosuid'], 'mode=0755'),
    api('devpts', '/dev/pts', ['nosuid', 'noexec'], 'gid=5,mode=0620,ptmxmode=0666'),
    api('tmpfs', '/dev/shm', ['nosuid', 'nodev'], 'mode=1777'),
    api('mqueue', '/dev/mqueue', ['nosuid', 'nodev', 'noexec'], undefined, true),
    api('tmpfs', '/run', ['nosuid', 'nodev'], 'mode=0755'),
    api('tmpfs', '/tmp', ['nosuid', 'nodev'], 'mode=1777'),
    api('cgroup2', '/sys/fs/cgroup', ['nosuid', 'nodev', 'noexec'], 'nsdelegate', true),
    api('securityfs', '/sys/kernel/security', ['nosuid', 'nodev', 'noexec'], undefined, true),
    api('bpf', '/sys/fs/bpf', ['nosuid', 'nodev', 'noexec'], 'mode=0700', true),
  ];
}

/**
 * A machine's targets already mounted with the same fstype are skipped (the
 * kernel may have mounted devtmpfs itself). A container always mounts its own
 * /proc: the inherited one may belong to another PID namespace.
 */
export function pendingMounts(
  plan: readonly PlannedMount[],
  mounted: ReadonlyArray<{ target: string; fstype: string }>,
  runtime: Runtime,
): PlannedMount[] {
  if (runtime !== 'machine') return [...plan];
  return plan.filter((p) => !mounted.some((m) => m.target === p.spec.target && m.fstype === p.spec.fstype));
}

export const PERSISTENT_DIRS = [
  { sub: 'var', target: '/var' },
  { sub: 'home', target: '/home' },
  { sub: 'opt', target: '/opt' },
  { sub: 'usr-local', target: '/usr/local' },
] as const;

export type RootSource =
  /** The K3OS_STATE block device, mounted at stateMount. */
  | { kind: 'device'; device: string; fstype: string }
  /** A directory given by K3OS_STATE_DIR (containers, persistent tests). */
  | { kind: 'dir'; dir: string }
  | { kind: 'tmpfs' };

export interface RootPlan {
  mountpoints: string[];
  /** Directories only root may enter, chmod 0700 once mounted (a filesystem's root has its own mode). */
  privateDirs: string[];
  /** Bind mounts from a state root: applyMounts makes their source directories. */
  mounts: PlannedMount[];
  etc: { seed: string | null; overlayLower: string | null };
}

export const STATE_MOUNT = '/run/k3os/state';
/** The label of the state filesystem (k3OS's), on a disk or a partition. */
export const STATE_LABEL = 'K3OS_STATE';

/**
 * The root layout: /usr read-only, /etc a tmpfs (seeded by the caller after
 * the mount), /var, /home, /opt, /usr/local from the state or tmpfs. When a
 * container has no /etc seed, /etc is an overlay of the host's /etc with a
 * tmpfs upper layer: the container sees a working /etc and never writes to
 * the host's.
 */
export function planRoot(o: { runtime: Runtime; mode: Mode; source: RootSource; etcSeed: string | null }): RootPlan {
  if (o.runtime === 'dev') return { mountpoints: [], privateDirs: [], mounts: [], etc: { seed: null, overlayLower: null } };
  const mounts: PlannedMount[] = [];
  mounts.push({ spec: { source: '/usr', target: '/usr', fstype: '', flags: ['bind', 'rec'] } });
  // setuid stays: /usr/bin/sudo is how rancher administers the node (as on k3OS).
  mounts.push({ spec: { source: '/usr', target: '/usr', fstype: '', flags: ['remount', 'bind', 'rdonly', 'nodev'] } });
  const overlay = o.etcSeed === null && o.runtime === 'container';
  if (overlay) {
    mounts.push({ spec: { source: 'tmpfs', target: '/run/k3os/etc', fstype: 'tmpfs', flags: ['nosuid', 'nodev'], data: 'mode=0755' } });
    mounts.push({
      spec: {
        source: 'overlay', target: '/etc', fstype: 'overlay', flags: ['nosuid', 'nodev'],
        data: 'lowerdir=/etc,upperdir=/run/k3os/etc/upper,workdir=/run/k3os/etc/work',
      },
    });
  } else {
    mounts.push({ spec: { source: 'tmpfs', target: '/etc', fstype: 'tmpfs', flags: ['nosuid', 'nodev'], data: 'mode=0755' } });
  }
  let stateRoot: string | undefined;
  if (o.source.kind === 'device') {
    stateRoot = STATE_MOUNT;
    mounts.push({ spec: { source: o.source.device, target: STATE_MOUNT, fstype: o.source.fstype, flags: ['relatime'] } });
  } else if (o.source.kind === 'dir') {
    stateRoot = o.source.dir;
  }
  for (const d of PERSISTENT_DIRS) {
    mounts.push(stateRoot === undefined
      ? { spec: { source: 'tmpfs', target: d.target, fstype: 'tmpfs', flags: ['nosuid', 'nodev'], data: 'mode=0755' } }
      : { spec: { source: `${stateRoot}/${d.sub}`, target: d.target, fstype: '', flags: ['bind'] } });
  }
  return {
    mountpoints: ['/run/k3os', ...(o.source.kind === 'device' ? [STATE_MOUNT] : []), ...PERSISTENT_DIRS.map((d) => d.target)],
    // The control socket, userdata and the state disk's whole tree live under /run/k3os.
    privateDirs: ['/run/k3os', ...(o.source.kind === 'device' ? [STATE_MOUNT] : [])],
    mounts,
    etc: { seed: overlay ? null : o.etcSeed, overlayLower: overlay ? '/etc' : null },
  };
}

/** Filesystems the kernel provides; at shutdown they are detached lazily. */
export const API_FILESYSTEMS: ReadonlySet<string> = new Set([
  'proc', 'sysfs', 'devtmpfs', 'devpts', 'tmpfs', 'mqueue', 'cgroup2', 'cgroup', 'securityfs',
  'bpf', 'debugfs', 'tracefs', 'pstore', 'efivarfs', 'configfs', 'fusectl', 'hugetlbfs', 'binfmt_misc',
  'overlay', 'ramfs', 'rootfs',
]);

/** Parses /proc/self/mounts (octal escapes for spaces and tabs). */
export function parseMounts(text: string): Array<{ source: string; target: string; fstype: string; options: string }> {
  const unescape = (s: string) => s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
  return text.split('\n').filter((l) => l.trim() !== '').map((line) => {
    const [source = '', target = '', fstype = '', options = ''] = line.split(' ');
    return { source: unescape(source), target: unescape(target), fstype, options };
  });
}
