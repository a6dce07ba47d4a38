// Runs one reaper scenario in its own process and prints its findings as JSON
// (test/ns/sys-addon.test.ts asserts on them). A process that starts the
// reaper owns all its children, so this script never uses node:child_process.
//   node test/ns/sys-reaper.run.ts <scenario>
import { closeSync, mkdtempSync, readFileSync, readSync, readdirSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMainThread, Worker } from 'node:worker_threads';

import { createLinuxSys } from '../../src/sys/linux.ts';
import type { ExitStatus, SpawnSpec } from '../../src/sys/types.ts';

const sys = createLinuxSys();
const env = { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' };
const orphans: ExitStatus[] = [];
sys.reaper.onOrphan((status) => orphans.push(status));

function run(spec: Omit<SpawnSpec, 'env'>): Promise<ExitStatus> {
  const pid = sys.spawn({ env, ...spec });
  return new Promise((resolve) => sys.reaper.onExit(pid, resolve));
}

/** Runs a child with stdout and stderr on a pipe; its exit and output. */
async function capture(spec: Omit<SpawnSpec, 'env' | 'stdout' | 'stderr'>): Promise<{ status: ExitStatus; output: string }> {
  const [read, write] = sys.pipe();
  const exited = run({ ...spec, stdout: { fd: write }, stderr: { fd: write } });
  closeSync(write);
  const chunks: Buffer[] = [];
  const buf = Buffer.alloc(4096);
  for (let n; (n = readSync(read, buf)) > 0; ) chunks.push(Buffer.from(buf.subarray(0, n)));
  closeSync(read);
  return { status: await exited, output: Buffer.concat(chunks).toString() };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Zombies whose parent is this process, from /proc/<pid>/stat. */
function ourZombies(): number[] {
  const zombies: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue; // exited while listing
    }
    const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (state === 'Z' && Number(ppid) === process.pid) zombies.push(Number(name));
  }
  return zombies;
}

function errorShape(fn: () => unknown): Record<string, unknown> {
  try {
    fn();
  } catch (error) {
    const { code, errno, syscall, path, message } = error as NodeJS.ErrnoException;
    return { code, errno, syscall, path, message };
  }
  return { threw: false };
}

const scenarios: Record<string, () => Promise<unknown>> = {
  async exits() {
    const counts = new Map<number, number>();
    const statuses: Record<string, ExitStatus> = {};
    const argvs: Record<string, string[]> = {
      true: ['/bin/true'],
      exit7: ['/bin/sh', '-c', 'exit 7'],
      term: ['/bin/sh', '-c', 'kill -TERM $$'],
    };
    const pids: number[] = [];
    await Promise.all(
      Object.entries(argvs).map(([name, argv]) => {
        const pid = sys.spawn({ argv, env });
        pids.push(pid);
        return new Promise<void>((resolve) =>
          sys.reaper.onExit(pid, (status) => {
            counts.set(pid, (counts.get(pid) ?? 0) + 1);
            statuses[name] = status;
            resolve();
          }),
        );
      }),
    );
    // The reaper delivers in the order it reaps: once a later child's exit
    // is in, a duplicate of an earlier one would have arrived already.
    await run({ argv: ['/bin/true'] });
    // A subscriber that comes late still gets the exit (held, not orphaned).
    const latePid = sys.spawn({ argv: ['/bin/sh', '-c', 'exit 3'], env });
    await run({ argv: ['/bin/sh', '-c', 'sleep 0.2'] });
    const late = await new Promise<ExitStatus>((resolve) => sys.reaper.onExit(latePid, resolve));
    return {
      pids,
      statuses,
      counts: pids.map((pid) => counts.get(pid) ?? 0),
      orphanPids: orphans.map((o) => o.pid),
      late: { ...late, pid: late.pid === latePid },
    };
  },

  async execErrors() {
    const missing = errorShape(() => sys.spawn({ argv: ['/nonexistent/k3os-prog'], env }));
    const dir = mkdtempSync(join(tmpdir(), 'k3os-exec-'));
    const plain = join(dir, 'not-executable');
    writeFileSync(plain, '#!/bin/sh\n', { mode: 0o644 });
    const notExecutable = errorShape(() => sys.spawn({ argv: [plain], env }));
    rmSync(dir, { recursive: true, force: true });
    const badCwd = errorShape(() => sys.spawn({ argv: ['/bin/true'], env, cwd: '/nonexistent/dir' }));
    const badFd = errorShape(() => sys.spawn({ argv: ['/bin/true'], env, stdout: { fd: 987654 } }));
    const [pipeRead, pipeWrite] = sys.pipe();
    const notTty = errorShape(() => sys.spawn({ argv: ['/bin/true'], env, stdin: { fd: pipeRead }, controllingTty: true }));
    closeSync(pipeRead);
    closeSync(pipeWrite);
    // The failed children were reaped by spawn: nothing of theirs may arrive.
    const after = await run({ argv: ['/bin/true'] });
    return { missing, notExecutable: { ...notExecutable, path: notExecutable.path === plain }, badCwd, badFd, notTty, after: after.code, orphans: orphans.length, zombies: ourZombies() };
  },

  async signals() {
    const dir = mkdtempSync(join(tmpdir(), 'k3os-sig-'));
    try {
      const out = join(dir, 'status');
      const status = await run({ argv: ['/bin/sh', '-c', `exec grep -E '^Sig(Ign|Blk)' /proc/self/status > ${out}`] });
      const parent = readFileSync('/proc/self/status', 'utf8').match(/^SigIgn:\s*(\w+)$/m)?.[1];
      return { code: status.code, child: readFileSync(out, 'utf8'), parentSigIgn: parent };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },

  async stdio() {
    const [outRead, outWrite] = sys.pipe();
    const [inRead, inWrite] = sys.pipe();
    const exited = run({
      argv: ['/bin/sh', '-c', 'read line; echo "out:$line"; echo "err:$line" >&2'],
      stdin: { fd: inRead },
      stdout: { fd: outWrite },
      stderr: { fd: outWrite },
    });
    closeSync(outWrite);
    closeSync(inRead);
    writeSync(inWrite, 'hello\n');
    closeSync(inWrite);
    const chunks: Buffer[] = [];
    const buf = Buffer.alloc(4096);
    for (let n; (n = readSync(outRead, buf)) > 0; ) chunks.push(Buffer.from(buf.subarray(0, n)));
    closeSync(outRead);
    const status = await exited;
    return { code: status.code, output: Buffer.concat(chunks).toString() };
  },

  async options() {
    // pid, session and process group of the child itself, then its ids and cwd.
    const script = 'set -- $(cut -d" " -f1,5,6 /proc/self/stat); echo "$1 $2 $3"; id -u; id -g; id -G; pwd';
    const plain = await capture({ argv: ['/bin/sh', '-c', script], cwd: '/' });
    const dropped = await capture({ argv: ['/bin/sh', '-c', script], cwd: '/tmp', setsid: true, uid: 65534, gid: 65533 });
    const parentSession = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]?.split(' ')[3];
    const lines = (r: { output: string }) => r.output.trimEnd().split('\n');
    return {
      parentSession,
      parentIds: [process.getuid?.(), process.getgid?.(), process.getgroups?.().join(' ')].map(String),
      plain: { pid: plain.status.pid, code: plain.status.code, lines: lines(plain) },
      dropped: { pid: dropped.status.pid, code: dropped.status.code, lines: lines(dropped) },
    };
  },

  async orphans() {
    sys.setChildSubreaper(true);
    const count = Number(process.argv[3] ?? 1000);
    const status = await run({
      argv: ['/bin/sh', '-c', `i=0; while [ $i -lt ${count} ]; do (sleep 0 &); i=$((i+1)); done`],
    });
    // Every sleep was re-parented to us; the last ones may still be running.
    for (let waited = 0; orphans.length < count && waited < 60_000; waited += 50) await sleep(50);
    const pids = new Set(orphans.map((o) => o.pid));
    return {
      code: status.code,
      orphans: orphans.length,
      distinct: pids.size,
      allExited0: orphans.every((o) => o.code === 0),
      zombies: ourZombies(),
    };
  },

  async worker() {
    // A worker starts its own reaper and ends with a child still running: the
    // environment cleanup hook must stop and join the reaper thread.
    const exitCode = await new Promise<number>((resolve, reject) => {
      const worker = new Worker(new URL(import.meta.url), { argv: ['worker-inner'] });
      worker.on('error', reject);
      worker.on('exit', resolve);
    });
    return { exitCode };
  },
};

if (!isMainThread) {
  sys.reaper.start();
  sys.spawn({ argv: ['/bin/sh', '-c', 'sleep 0.3'], env });
} else {
  const name = process.argv[2] ?? '';
  const scenario = scenarios[name];
  if (!scenario) throw new Error(`unknown scenario ${JSON.stringify(name)}; known: ${Object.keys(scenarios).join(', ')}`);
  if (name !== 'worker') sys.reaper.start();
  const result = await scenario();
  sys.reaper.stop();
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
