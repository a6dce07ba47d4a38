// Boots the image under qemu for vm tests and benchmarks. The serial console and QMP are unix
// sockets, so a test reads the console, types on it and presses buttons. Every VM is killed at
// the end, whatever happens.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface BootOptions {
  /** Extra kernel arguments after the standard ones. */
  append?: string;
  /** Raw disk images, attached as virtio-blk in this order. */
  disks?: string[];
  /** -netdev specs without id (e.g. 'user,restrict=on'); each gets a virtio-net-pci device. */
  netdevs?: string[];
  /** More serial ports after ttyS0, as -chardev specs without id (e.g. 'pipe,path=/tmp/x'); add 8250.nr_uarts to append. */
  serials?: string[];
  kernel?: string;
  initrd?: string;
  memMiB?: number;
  /** Names the console log kept in build/vm-logs/<name>.log. */
  name?: string;
}

export interface QemuExit { code: number | null; signal: NodeJS.Signals | null }

export interface Vm {
  /** Milliseconds since qemu was started. */
  elapsed(): number;
  /** Everything the console printed so far. */
  output(): string;
  /** Waits for `re` in console output after the previous match; rejects on timeout or qemu exit. */
  waitFor(re: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  /** Types on the serial console. */
  send(text: string): Promise<void>;
  /** Runs a human monitor command (e.g. 'system_powerdown') and returns its output. */
  monitor(cmd: string): Promise<string>;
  /** Resolves when qemu exits; rejects after timeoutMs. Exit code 2N+1 is the guest's isa-debug-exit N. */
  waitExit(timeoutMs?: number): Promise<QemuExit>;
  /** Kills qemu (if still running) and removes its sockets. Idempotent. */
  kill(): Promise<void>;
}

/** PID 1's readiness line, whole (a console chunk can end mid-word): ms, mode, k3s pid. */
export const READY = /k3os-init: ready in (\d+) ms \(mode=(\w+) k3s=(\d+|none)\)/;

export const DEFAULT_TIMEOUT_MS = 120_000;
const root = new URL('../../', import.meta.url).pathname;
/** The image under test: `make image`'s, or K3OS_TEST_INITRD (an image built elsewhere, same kernel). */
export const INITRD = process.env.K3OS_TEST_INITRD ?? join(root, 'build/initrd.img');

/** loops_per_jiffy from the host TSC (HZ=250 in the cloud kernel), skipping delay calibration. */
export const lpjFromCpuinfo = (cpuinfo: string, hz = 250): number | undefined => {
  const mhz = /^cpu MHz\s*:\s*([\d.]+)/m.exec(cpuinfo)?.[1];
  return mhz === undefined ? undefined : Math.round((Number(mhz) * 1e6) / hz);
};

export const baseAppend = (): string => {
  const lpj = lpjFromCpuinfo(readFileSync('/proc/cpuinfo', 'utf8'));
  return ['console=ttyS0', 'panic=-1', 'rdinit=/init', 'init=/init', 'quiet', lpj === undefined ? '' : `lpj=${lpj}`,
    'tsc=reliable', 'no_timer_check', 'mitigations=off', '8250.nr_uarts=1'].filter((a) => a !== '').join(' ');
};

export const qemuArgs = (o: BootOptions, serialPath: string, qmpPath: string): string[] => {
  const args = [
    '-accel', process.env.ACCEL === 'kvm' ? 'kvm' : 'tcg', '-M', 'pc', '-cpu', 'max', '-smp', '1', '-m', String(o.memMiB ?? 1024),
    '-nodefaults', '-no-reboot', '-display', 'none', '-monitor', 'none',
    // wait=on: qemu starts the guest only once the harness is attached, so no console output is lost
    '-chardev', `socket,id=ser0,path=${serialPath},server=on,wait=on`, '-serial', 'chardev:ser0',
    '-qmp', `unix:${qmpPath},server=on,wait=off`,
    '-device', 'isa-debug-exit,iobase=0xf4,iosize=0x04',
    '-kernel', o.kernel ?? join(root, 'build/vmlinux'), '-initrd', o.initrd ?? INITRD,
    '-append', [baseAppend(), o.append ?? ''].join(' ').trim(),
  ];
  (o.disks ?? []).forEach((d, i) => args.push('-drive', `file=${d},format=raw,if=virtio,index=${i}`));
  (o.netdevs ?? []).forEach((n, i) => args.push('-netdev', `${n},id=n${i}`, '-device', `virtio-net-pci,netdev=n${i}`));
  (o.serials ?? []).forEach((c, i) => args.push('-chardev', `${c},id=ser${i + 1}`, '-serial', `chardev:ser${i + 1}`));
  return args;
};

const connectRetry = async (path: string, child: ChildProcess, timeoutMs: number): Promise<Socket> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await new Promise<Socket>((ok, fail) => {
        const s = connect(path);
        s.once('connect', () => ok(s));
        s.once('error', fail);
      });
    } catch (e) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`qemu socket ${path}: ${(e as Error).message}`);
      await sleep(20);
    }
  }
};

/** Makes a sparse ext4 state disk labelled K3OS_STATE, as `make run` does. */
export const makeStateDisk = async (path: string, sizeMiB = 2048): Promise<void> => {
  await run('truncate', ['-s', `${sizeMiB}M`, path]);
  await run('mkfs.ext4', ['-q', '-F', '-L', 'K3OS_STATE', path]);
};

/** Reads a file from an ext4 image on the host (debugfs), without mounting it. */
export const readFromDisk = async (image: string, path: string): Promise<string> => run('debugfs', ['-R', `cat ${path}`, image]);

const run = (cmd: string, args: string[]): Promise<string> => new Promise((ok, fail) => {
  const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  p.stdout.on('data', (d: Buffer) => { out += d.toString(); });
  p.stderr.on('data', (d: Buffer) => { err += d.toString(); });
  p.on('error', fail);
  p.on('close', (code) => (code === 0 ? ok(out) : fail(new Error(`${cmd} ${args.join(' ')}: exit ${code}: ${err.trim()}`))));
});

export const boot = async (o: BootOptions = {}): Promise<Vm> => {
  const dir = mkdtempSync(join(tmpdir(), 'k3os-vm-'));
  const serialPath = join(dir, 'serial.sock');
  const qmpPath = join(dir, 'qmp.sock');
  const started = performance.now();
  const child = spawn('qemu-system-x86_64', qemuArgs(o, serialPath, qmpPath), { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => { stderr += d.toString(); });
  const exited = new Promise<QemuExit>((ok) => child.once('exit', (code, signal) => ok({ code, signal })));
  let done: QemuExit | undefined;
  void exited.then((e) => { done = e; wake(); });

  let out = '';
  let cursor = 0;
  let waiters: Array<() => void> = [];
  const wake = (): void => { const w = waiters; waiters = []; for (const f of w) f(); };

  let serial: Socket;
  try {
    serial = await connectRetry(serialPath, child, 30_000);
  } catch (e) {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`${(e as Error).message}\nqemu stderr: ${stderr}`);
  }
  serial.setEncoding('utf8');
  serial.on('data', (d: string) => {
    out += d;
    if (process.env.VM_DEBUG) process.stderr.write(d);
    wake();
  });
  serial.on('error', () => {});

  let qmp: Promise<(cmd: object) => Promise<unknown>> | undefined;
  const qmpClient = async (): Promise<(cmd: object) => Promise<unknown>> => {
    const s = await connectRetry(qmpPath, child, 30_000);
    s.setEncoding('utf8');
    s.on('error', () => {});
    let buf = '';
    const pending: Array<(v: { return?: unknown; error?: { desc: string } }) => void> = [];
    let greeted: () => void = () => {};
    const greeting = new Promise<void>((ok) => { greeted = ok; });
    s.on('data', (d: string) => {
      buf += d;
      for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
        const msg = JSON.parse(buf.slice(0, nl)) as Record<string, unknown>;
        buf = buf.slice(nl + 1);
        if ('QMP' in msg) greeted();
        else if ('return' in msg || 'error' in msg) pending.shift()?.(msg as { return?: unknown; error?: { desc: string } });
      }
    });
    const exec = (cmd: object): Promise<unknown> => new Promise((ok, fail) => {
      pending.push((r) => (r.error ? fail(new Error(`qmp: ${r.error.desc}`)) : ok(r.return)));
      s.write(JSON.stringify(cmd) + '\n');
    });
    await greeting;
    await exec({ execute: 'qmp_capabilities' });
    return exec;
  };

  const failText = (what: string): string =>
    `${what}\n--- console (last 3000 chars) ---\n${out.slice(-3000)}\n--- qemu stderr ---\n${stderr}`;

  const vm: Vm = {
    elapsed: () => performance.now() - started,
    output: () => out,
    waitFor: (re, timeoutMs = DEFAULT_TIMEOUT_MS) => new Promise((ok, fail) => {
      const flags = re.flags.includes('g') ? re.flags : re.flags + 'g';
      const g = new RegExp(re.source, flags);
      const timer = setTimeout(() => fail(new Error(failText(`waitFor ${re}: timed out after ${timeoutMs} ms`))), timeoutMs);
      const check = (): void => {
        g.lastIndex = cursor;
        const m = g.exec(out);
        if (m) {
          cursor = m.index + m[0].length;
          clearTimeout(timer);
          ok(m);
        } else if (done) {
          clearTimeout(timer);
          fail(new Error(failText(`waitFor ${re}: qemu exited (code ${done.code}, signal ${done.signal})`)));
        } else waiters.push(check);
      };
      check();
    }),
    send: (text) => new Promise((ok, fail) => serial.write(text, (e) => (e ? fail(e) : ok()))),
    monitor: async (cmd) => {
      qmp ??= qmpClient();
      const exec = await qmp;
      return String(await exec({ execute: 'human-monitor-command', arguments: { 'command-line': cmd } }));
    },
    waitExit: (timeoutMs = DEFAULT_TIMEOUT_MS) => new Promise((ok, fail) => {
      const timer = setTimeout(() => fail(new Error(failText(`qemu still running after ${timeoutMs} ms`))), timeoutMs);
      void exited.then((e) => { clearTimeout(timer); ok(e); });
    }),
    kill: async () => {
      if (!done) {
        child.kill('SIGKILL');
        await exited;
      }
      serial.destroy();
      if (o.name !== undefined) {
        mkdirSync(join(root, 'build/vm-logs'), { recursive: true });
        writeFileSync(join(root, 'build/vm-logs', `${o.name}.log`), out);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return vm;
};

/** Boots, runs `fn`, and kills the VM afterwards whether `fn` passed or threw. */
export const withVm = async <T>(o: BootOptions, fn: (vm: Vm) => Promise<T>): Promise<T> => {
  const vm = await boot(o);
  try {
    return await fn(vm);
  } finally {
    await vm.kill();
  }
};
