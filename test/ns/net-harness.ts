// Namespaces, veth pairs and processes for the network ns tests and the DHCP
// benchmark. Everything created here is removed by cleanup(), always.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export const NODE = join(import.meta.dirname, '../../node_modules/.bin/node');

export function ip(...args: string[]): string {
  return execFileSync('ip', args, { encoding: 'utf8' });
}

export function canRun(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root';
  try { execFileSync('dnsmasq', ['--version'], { stdio: 'ignore' }); } catch { return 'dnsmasq missing'; }
  return undefined;
}

export interface Lab {
  srv: string;
  cli: string;
  dir: string;
  /** veth pair: `a` in srv, `b` in cli; the srv side gets `${subnet}.1/24`. */
  pair(a: string, b: string, subnet: string): void;
  spawnIn(ns: string, argv: string[]): Proc;
  cleanup(): void;
}

export interface Proc {
  child: ChildProcess;
  lines: unknown[];
  /** Resolves with the first (past or future) JSON line matching pred. */
  waitFor(pred: (line: Record<string, unknown>) => boolean, ms: number, what: string): Promise<Record<string, unknown>>;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export function createLab(tag: string): Lab {
  const id = `${tag}${process.pid}`;
  const srv = `k3t-s-${id}`;
  const cli = `k3t-c-${id}`;
  const dir = mkdtempSync(join(tmpdir(), 'k3t-net-'));
  const procs: Proc[] = [];
  ip('netns', 'add', srv);
  ip('netns', 'add', cli);
  ip('-n', srv, 'link', 'set', 'lo', 'up');
  return {
    srv, cli, dir,
    pair(a, b, subnet) {
      ip('link', 'add', a, 'netns', srv, 'type', 'veth', 'peer', 'name', b, 'netns', cli);
      ip('-n', srv, 'addr', 'add', `${subnet}.1/24`, 'dev', a);
      ip('-n', srv, 'link', 'set', a, 'up');
    },
    spawnIn(ns, argv) {
      const child = spawn('ip', ['netns', 'exec', ns, ...argv], { stdio: ['ignore', 'pipe', 'pipe'] });
      const lines: unknown[] = [];
      const waiters = new Set<() => void>();
      createInterface({ input: child.stdout! }).on('line', (l) => {
        try { lines.push(JSON.parse(l)); } catch { lines.push({ text: l }); }
        for (const w of waiters) w();
      });
      let stderr = '';
      child.stderr!.on('data', (d) => { stderr += d; });
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      const p: Proc = {
        child, lines,
        waitFor(pred, ms, what) {
          return new Promise((resolve, reject) => {
            const check = (): void => {
              const hit = lines.find((l) => pred(l as Record<string, unknown>));
              if (hit) { waiters.delete(check); clearTimeout(t); resolve(hit as Record<string, unknown>); }
            };
            const t = setTimeout(() => { waiters.delete(check); reject(new Error(`timed out waiting for ${what}; stderr: ${stderr.slice(-2000)}`)); }, ms);
            waiters.add(check);
            check();
          });
        },
        async stop(signal = 'SIGTERM') {
          if (child.exitCode === null && child.signalCode === null) child.kill(signal);
          const t = setTimeout(() => child.kill('SIGKILL'), 5000);
          await exited;
          clearTimeout(t);
        },
      };
      procs.push(p);
      return p;
    },
    cleanup() {
      for (const p of procs) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
      for (const ns of [srv, cli]) {
        try { ip('netns', 'del', ns); } catch { /* already gone */ }
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function dnsmasqArgs(iface: string, subnet: string, dir: string, extra: string[] = []): string[] {
  return ['dnsmasq', '--no-daemon', '--conf-file=/dev/null', `--interface=${iface}`, '--bind-interfaces',
    `--dhcp-range=${subnet}.50,${subnet}.99,255.255.255.0,2m`, `--dhcp-leasefile=${dir}/dnsmasq-${iface}.leases`, '--port=0',
    `--pid-file=${dir}/dnsmasq-${iface}.pid`, '--user=root', '--group=root', '--log-facility=-', ...extra];
}
