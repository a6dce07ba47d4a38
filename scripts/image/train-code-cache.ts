// The training boot behind PID 1's code cache (scripts/image/init-loader.cjs): the staged image's own
// /init command line runs as PID 1 of a PID + mount namespace chrooted into the stage (container
// mode), boots to its readiness line, shuts down on SIGTERM, and its loader writes the V8 code cache
// of everything that boot ran to fd 3. Same node binary, same flags, same bundle as the guest, so V8
// accepts the cache there. Needs root (unshare, mount, chroot); mounts die with the namespace, and its
// own UTS, IPC and network namespaces keep the host's hostname and sysctls out of reach.
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, statSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

const READY = /k3os-init: ready in \d+ ms/;
// A config with the usual sections, so their schema paths are compiled too.
const TRAINING_CMDLINE = 'k3os.hostname=train k3os.labels.role=train k3os.k3s_args=--disable=traefik k3os.dns_nameservers=10.0.2.3';

// The namespace gets the stage as a mount point (init remounts '/'), the host's /dev (it starts k3s
// with /dev/null for stdin) and its own /proc; then node execs as its PID 1.
const ENTER_STAGE = 'root=$1; shift; mount --bind "$root" "$root" && mount --bind /dev "$root/dev" && ' +
  'exec chroot "$root" /bin/sh -c \'mount -t proc proc /proc && exec "$@"\' k3os-train "$@"';

/** Runs the training boot; returns the cache's size, or throws saying what went wrong. */
export async function trainCodeCache(stage: string, initArgv: readonly string[], out: string, timeoutMs = 120_000): Promise<number> {
  const fd = openSync(out, 'w');
  let output = '';
  try {
    const ns = spawn('unshare', ['--pid', '--fork', '--mount', '--mount-proc', '--uts', '--ipc', '--net', '/bin/sh', '-c', ENTER_STAGE, 'k3os-train', stage, ...initArgv], {
      env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', K3OS_CODE_CACHE_FD: '3', K3OS_CMDLINE: TRAINING_CMDLINE },
      stdio: ['ignore', 'pipe', 'pipe', fd],
    });
    const exited = new Promise<number | null>((resolve) => ns.on('exit', (code) => resolve(code)));
    for (const s of [ns.stdout, ns.stderr]) s?.on('data', (c: Buffer) => { output += c.toString(); });
    const deadline = Date.now() + timeoutMs;
    try {
      while (!READY.test(output)) {
        if (ns.exitCode !== null || Date.now() > deadline) throw new Error('no readiness line');
        await sleep(50);
      }
      process.kill(namespaceInit(ns.pid!), 'SIGTERM');
      const code = await Promise.race([exited, sleep(timeoutMs, 'timeout' as const, { ref: false })]);
      if (code !== 0) throw new Error(`the training boot ended with ${code}`);
    } finally {
      ns.kill('SIGKILL');
    }
  } catch (err) {
    throw new Error(`${(err as Error).message}; its console:\n${output.split('\n').slice(-15).join('\n')}`);
  } finally {
    closeSync(fd);
  }
  const size = statSync(out).size;
  if (size === 0) throw new Error('the training boot wrote no cache');
  return size;
}

/** unshare --fork's only child is the namespace's PID 1 (sh exec'd chroot exec'd sh exec'd node). */
function namespaceInit(unsharePid: number): number {
  const kids = readFileSync(`/proc/${unsharePid}/task/${unsharePid}/children`, 'utf8').trim().split(/\s+/).filter((k) => k !== '');
  if (kids.length !== 1) throw new Error(`unshare has ${kids.length} children`);
  return Number(kids[0]);
}
