// PID 1 in a PID + mount namespace: `unshare --pid --fork --mount --mount-proc
// node src/init/main.ts` (container mode). Container mode puts tmpfs on /tmp,
// /run, /var, /home, /opt and /usr/local, which would hide a checkout living
// under one of them; so inside the namespace the repo is bind-mounted at
// NS_REPO first, and every path PID 1 sees is under it (nsPath).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export const REPO = path.resolve(import.meta.dirname, '../..');
export const NODE = path.join(REPO, 'node_modules/.bin/node');
export const INIT = path.join(REPO, 'src/init/main.ts');
const STANDIN = path.join(REPO, 'test/fixtures/k3s-standin/main.ts');
/** Where the repo appears inside the namespace: /mnt exists on Debian and is no tmpfs target. */
const NS_REPO = '/mnt';

/** A host path under the repo, as PID 1 in the namespace sees it. */
export const nsPath = (p: string): string => path.join(NS_REPO, path.relative(REPO, p));

export interface InitOptions {
  /** K3S_STANDIN_* behaviour, baked into the wrapper script (as the image does). */
  k3sEnv?: Record<string, string>;
  cmdline?: string;
  /** More namespaces for PID 1, as unshare flags ('--uts', '--net'), so it may change them. */
  namespaces?: string[];
  /** More environment for PID 1 (K3OS_CONTAINER_APPLY=1...). */
  env?: Record<string, string>;
  /** node's own flags before the script, as the image's /init passes them (--max-old-space-size=96). */
  nodeArgs?: string[];
}

export class InitUnderTest {
  readonly dir: string;
  readonly stateDir: string;
  readonly proc: ChildProcess;
  stdout = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(o: InitOptions = {}) {
    fs.mkdirSync(path.join(REPO, 'build'), { recursive: true });
    this.dir = fs.mkdtempSync(path.join(REPO, 'build', 'ns-init-'));
    this.stateDir = path.join(this.dir, 'state');
    fs.mkdirSync(this.stateDir);
    const k3s = path.join(this.dir, 'k3s');
    const envLines = Object.entries(o.k3sEnv ?? {}).map(([k, v]) => `export ${k}='${v}'`).join('\n');
    fs.writeFileSync(k3s, `#!/bin/sh\n${envLines}\nexec ${nsPath(NODE)} ${nsPath(STANDIN)} "$@"\n`, { mode: 0o755 });
    // sh binds the repo and execs node, so node is the namespace's PID 1.
    const bindThenExec = 'mount --bind "$1" "$2" && shift 2 && exec "$@"';
    this.proc = spawn('unshare', ['--pid', '--fork', '--mount', '--mount-proc', ...(o.namespaces ?? []),
      '/bin/sh', '-c', bindThenExec, 'k3os-ns', REPO, NS_REPO, nsPath(NODE), '--disable-sigusr1', ...(o.nodeArgs ?? []), nsPath(INIT)], {
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        K3OS_K3S_BIN: nsPath(k3s),
        K3OS_STATE_DIR: nsPath(this.stateDir),
        K3OS_CMDLINE: o.cmdline ?? '',
        ...o.env,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.proc.stdout!.on('data', (c: Buffer) => { this.stdout += c.toString(); });
    this.proc.stderr!.on('data', (c: Buffer) => { this.stdout += c.toString(); });
    this.exited = new Promise((resolve) => this.proc.on('exit', (code, signal) => resolve({ code, signal })));
  }

  async waitFor(re: RegExp, ms = 30_000): Promise<RegExpMatchArray> {
    const deadline = Date.now() + ms;
    for (;;) {
      const m = re.exec(this.stdout);
      if (m) return m;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${re}; console so far:\n${this.stdout}`);
      await sleep(25);
    }
  }

  /** Host pid of the namespace's PID 1 (the child of unshare). */
  initPid(): number {
    const kids = children(this.proc.pid!);
    if (kids.length !== 1) throw new Error(`unshare has ${kids.length} children`);
    return kids[0]!.pid;
  }

  /** JSON records of init.log, as persisted in the state dir. */
  log(): Array<Record<string, unknown>> {
    const file = path.join(this.stateDir, 'var/log/k3os/init.log');
    if (!fs.existsSync(file)) return [];
    return fs.readFileSync(file, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>);
  }

  async waitForLog(pred: (recs: Array<Record<string, unknown>>) => boolean, ms = 30_000): Promise<Array<Record<string, unknown>>> {
    const deadline = Date.now() + ms;
    for (;;) {
      const recs = this.log();
      if (pred(recs)) return recs;
      if (Date.now() > deadline) throw new Error(`timed out waiting on init.log (${recs.length} records); console:\n${this.stdout}`);
      await sleep(50);
    }
  }

  /** SIGKILL the whole namespace (test cleanup) and remove the files. */
  async kill(): Promise<void> {
    if (this.proc.exitCode === null && this.proc.signalCode === null) {
      try { process.kill(this.initPid(), 'SIGKILL'); } catch { this.proc.kill('SIGKILL'); }
      await this.exited;
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

export interface HostProc { pid: number; ppid: number; state: string; comm: string }

export function hostProcs(): HostProc[] {
  const out: HostProc[] = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      const open = stat.indexOf('(');
      const close = stat.lastIndexOf(')');
      const f = stat.slice(close + 2).split(' ');
      out.push({ pid: Number(name), ppid: Number(f[1]), state: f[0] ?? '?', comm: stat.slice(open + 1, close) });
    } catch {
      // gone while listing
    }
  }
  return out;
}

export const children = (ppid: number) => hostProcs().filter((p) => p.ppid === ppid);
