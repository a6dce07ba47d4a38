// k3os init: PID 1. Read top to bottom: crash handlers, runtime, logging,
// the reaper and signals, the boot sequence, then the steady state where one
// switch acts on queued intents. Only this file runs the shutdown ladder and
// powers off; nothing here calls process.exit while PID 1 of a machine.
import fs from 'node:fs';
import path from 'node:path';
import { createConsoleLogStream } from './console/log-stream.ts';
import { createConsoleWriter, fsConsoleFile, type ConsoleFile, type ConsoleWriter } from './console/writer.ts';
import { createLinuxSys, type LinuxSys } from '../sys/index.ts';
import { readBootCmdline } from './cmdline.ts';
import { linuxHost } from './host.ts';
import { controlHandlers, LogRing } from './control-handlers.ts';
import { createControlServer } from './control/server.ts';
import { BootPrompt } from './console/prompt.ts';
import { K3OS_BIN } from './console/services.ts';
import { replaceK3s } from './k3s/service.ts';
import { LiveConfig } from './live/live-config.ts';
import { MemoryThenFile } from './log/file-sink.ts';
import { createInitLogger, type Logger } from './log/logger.ts';
import { SecretScrubber } from './log/redact.ts';
import { parseMounts } from './mounts.ts';
import { applyContext, kernelIsOurs } from './node-config.ts';
import { NodeState } from './node-state.ts';
import { BootError, runSequence } from './phases/runner.ts';
import type { BootContext, Paths } from './phases/types.ts';
import { PowerButton } from './power-button.ts';
import { bootSequence, recoverySequence } from './sequences.ts';
import { detectRuntime, parseNsInode } from './runtime.ts';
import { executeShutdown } from './shutdown/execute.ts';
import { planShutdown } from './shutdown/plan.ts';
import { listProcesses, signalTargets } from './shutdown/processes.ts';
import { installSignalHandlers, IntentQueue } from './signals.ts';
import { Supervisor } from './supervisor/supervisor.ts';
import { monotonicClock, realDelay } from '../lib/time.ts';
import type { Intent, PowerAction, Runtime } from './types.ts';
import type { Owned } from '../lib/owned.ts';

type Regime = 'boot' | 'recovery' | 'steady' | 'shutdown';
let regime: Regime = 'boot';
let log: Logger | undefined;
let onFatal: ((err: unknown) => void) | undefined;

// First, before anything can throw: PID 1 must never die of an exception.
process.on('uncaughtException', (err) => fatalOrLog(err, 'uncaughtException'));
process.on('unhandledRejection', (err) => fatalOrLog(err, 'unhandledRejection'));

function fatalOrLog(err: unknown, kind: string): void {
  if (regime === 'boot' && onFatal) {
    onFatal(err);
    return;
  }
  if (log) log.error({ err, kind }, `${kind} (${regime}), PID 1 goes on`);
  else process.stderr.write(`k3os-init: ${kind}: ${(err as Error)?.stack ?? String(err)}\n`);
}

/** Keeps the event loop alive: PID 1's loop must never run empty. */
class KeepAlive implements Owned {
  readonly name = 'keep-alive';
  #timer: NodeJS.Timeout | undefined;
  async start() { this.#timer ??= setInterval(() => {}, 1 << 30); }
  async stop() { clearInterval(this.#timer); this.#timer = undefined; }
}

/**
 * A container's console is its stdout. A pipe is reopened through /proc so
 * O_NONBLOCK is ours alone; a socket (or anything that cannot be reopened)
 * is written as fd 1 itself, which can block if nobody reads it.
 */
const containerStdout: ConsoleFile = {
  open: (p) => {
    try {
      return fsConsoleFile.open(p);
    } catch {
      return 1;
    }
  },
  write: (fd, data) => fsConsoleFile.write(fd, data),
  close: (fd) => { if (fd !== 1) fsConsoleFile.close(fd); },
};

/**
 * The kernel starts a machine's init with nothing on /proc, and a chroot may have none either: then
 * PID 1 mounts it for this one look and leaves /proc as it was (earlyMounts mounts it for good).
 */
function readPidNs(): number | null {
  const read = (): number | null => {
    try {
      return parseNsInode(fs.readlinkSync('/proc/self/ns/pid'));
    } catch {
      return null;
    }
  };
  const inode = read();
  if (inode !== null || process.pid !== 1) return inode;
  const sys = createLinuxSys();
  try {
    sys.mount({ source: 'proc', target: '/proc', fstype: 'proc', flags: ['nosuid', 'nodev', 'noexec'] });
  } catch {
    return null;
  }
  try {
    return read();
  } finally {
    try { sys.umount('/proc'); } catch { /* earlyMounts finds it mounted */ }
  }
}

function pathsFor(runtime: Runtime, env: NodeJS.ProcessEnv): Paths {
  const varDir = runtime === 'dev' ? path.join(env.K3OS_STATE_DIR ?? '/tmp/k3os-dev', 'var') : '/var';
  return {
    initLog: `${varDir}/log/k3os/init.log`,
    k3sLog: `${varDir}/log/k3s.log`,
    bootModules: '/usr/lib/k3os/boot-modules',
    etcSeed: env.K3OS_ETC_SEED ?? '/usr/share/k3os/etc',
  };
}

async function main(): Promise<void> {
  const decision = detectRuntime({ pid: process.pid, pidNsInode: readPidNs(), env: process.env });
  if ('refuse' in decision) {
    // Not PID 1: exiting is safe and the only honest answer.
    process.stderr.write(`k3os-init: ${decision.refuse}\n`);
    process.exit(1);
  }
  const runtime = decision.runtime;
  const keepAlive = new KeepAlive();
  await keepAlive.start();

  const consoleWriter: ConsoleWriter = runtime === 'machine'
    ? createConsoleWriter({ path: '/dev/console' })
    : createConsoleWriter({ path: '/proc/self/fd/1', file: containerStdout });
  await consoleWriter.start();
  const initLog = new MemoryThenFile();
  const consoleStream = createConsoleLogStream(consoleWriter, 'info');
  const ring = new LogRing();
  // Fed by the command line and every config PID 1 loads; scrubs logs, console lines and API answers.
  const secrets = new SecretScrubber();
  log = createInitLogger({ file: { write: (l: string) => { initLog.write(l); ring.write(l); } }, console: consoleStream, secrets });
  const say = (line: string) => consoleWriter.writeLine(secrets.scrub(line));
  // Set by the image's loader (scripts/image/init-loader.cjs); absent when init runs from a checkout.
  const codeCache = (globalThis as Record<symbol, unknown>)[Symbol.for('k3os.init.codeCache')];
  log.info({ runtime, why: decision.why, node: process.version, codeCache },
    `k3os init starting (${runtime}${typeof codeCache === 'string' ? `, code cache ${codeCache}` : ''})`);

  const sys: LinuxSys = createLinuxSys();
  sys.reaper.start();
  if (runtime === 'dev') sys.setChildSubreaper(true);
  let orphans = 0;
  // Orphans exit in bursts (a container's processes killed at once): one
  // debug line per event-loop turn, pids grouped by how they exited. A line
  // each cost PID 1's thread ~50 ms per 10,000 orphans and flooded init.log
  // and the log ring. setImmediate, not a microtask: each exit arrives in its
  // own call, and microtasks run after every call.
  let burst: { count: number; exits: Record<string, number[]> } | undefined;
  sys.reaper.onOrphan((s) => {
    orphans++;
    if (!burst) {
      const b = (burst = { count: 0, exits: {} });
      setImmediate(() => {
        burst = undefined;
        log?.debug({ count: b.count, exits: b.exits }, b.count === 1 ? 'orphan reaped' : `${b.count} orphans reaped`);
      });
    }
    burst.count++;
    (burst.exits[s.signal ?? `exit ${s.code}`] ??= []).push(s.pid);
  });

  const intents = new IntentQueue();
  installSignalHandlers(intents, (sig) => log?.info({ signal: sig }, `signal ${sig}`));
  // Only after the SIGINT handler exists: ctrl-alt-del becomes a signal to us.
  if (runtime === 'machine') {
    try { sys.reboot('cadOff'); } catch (err) { log.warn({ err }, 'ctrl-alt-del stays a hard reset'); }
  }

  const supervisor = new Supervisor({ sys, log: log.child({ component: 'supervisor' }), clock: monotonicClock, delay: realDelay });
  // A container (or dev) takes its command line from K3OS_CMDLINE; read it
  // before phase 1 so k3os_test.fail_stage can target earlyMounts too.
  const node = new NodeState(runtime, readBootCmdline(runtime === 'machine' ? '' : process.env.K3OS_CMDLINE ?? ''));
  // Stopped by the shutdown ladder after the services, in the order they were handed over.
  const owners = new Map<string, () => Promise<void>>();
  const ctx: BootContext = {
    sys,
    host: linuxHost,
    env: process.env,
    log,
    node,
    supervisor,
    initLog,
    paths: pathsFor(runtime, process.env),
    prompt: new BootPrompt(),
    secrets,
    own: (name, stop) => { owners.set(name, stop); },
    consoleLog: consoleStream,
  };

  const recover = (err: unknown) => {
    if (regime !== 'boot') return;
    regime = 'recovery';
    const reason = err instanceof Error ? err.message : String(err);
    node.bootFailed({ stage: err instanceof BootError ? err.phase : 'unknown', error: reason });
    log?.fatal({ err }, `boot failed: ${reason}`);
    say(`k3os-init: boot failed: ${reason}`);
    // Without the k3os program (a dev tree, a container) the recovery phase falls back to a shell.
    say(ctx.host.exists(K3OS_BIN)
      ? 'k3os-init: recovery: the recovery menu is on every console (status, logs, restart k3s, last good config, shell, reboot)'
      : 'k3os-init: recovery: a root shell is on the console (it restarts when it exits); `reboot` or `poweroff` leave');
    // The prompt must not keep a console in raw mode under the menu.
    ctx.prompt.close()
      .then(() => runSequence(recoverySequence, ctx, { sequenceName: 'recovery', clock: monotonicClock }))
      .catch((e: unknown) => log?.error({ err: e }, 'recovery menu could not start; PID 1 waits for a signal'));
  };
  onFatal = recover;

  // After the modules phase (button, evdev), before the readiness line (a press right after it
  // must not be lost: evdev drops events nobody has open), in steady state and recovery alike.
  const watchPowerButton = async (): Promise<void> => {
    if (runtime !== 'machine' || owners.has('power-button')) return;
    const button = new PowerButton({
      onPress: (device) => intents.push({ kind: 'power', action: 'poweroff', reason: `power button (${device})` }),
      log: log!.child({ component: 'power-button' }),
    });
    owners.set(button.name, () => button.stop());
    await button.start().catch((err: unknown) => log?.error({ err }, 'power button not watched'));
  };

  try {
    await runSequence(bootSequence, ctx, { sequenceName: 'boot', clock: monotonicClock, failStage: () => node.cmdline.failStage });
    await watchPowerButton();
    if (node.mode === 'recovery') {
      regime = 'recovery';
      say(`k3os-init: recovery mode: ${node.recoveryReason ?? ''}`);
    } else if (regime === 'boot') {
      const ms = Math.round(performance.now());
      const line = `k3os-init: ready in ${ms} ms (mode=${node.mode} k3s=${node.k3sPid ?? 'none'})`;
      // The console gets the exact line below; the JSON copy stays off the console.
      log.debug({ ms, kernelUptimeMs: kernelUptimeMs(), mode: node.mode, k3s: node.k3sPid }, line.slice('k3os-init: '.length));
      say(line);
    }
  } catch (err) {
    recover(err);
    await watchPowerButton();
  }
  enterSteadyState();
  // The control API serves normal boots and recovery alike (the recovery menu uses it).
  // A container whose boot failed before /run was its own tmpfs must not create a socket on the host.
  const ownRun = runtime === 'machine' || safeMounts().some((m) => m.target === '/run' && m.fstype === 'tmpfs');
  const configLog = log.child({ component: 'config' });
  const live = new LiveConfig({
    node,
    log: configLog,
    root: '/',
    applyContext: applyContext(ctx, configLog),
    kernelIsOurs: kernelIsOurs(ctx),
    secrets,
    restartK3s: (next) => replaceK3s(ctx, configLog, next),
  });
  const control = createControlServer(controlHandlers(ctx, intents, ring, live, secrets), { log });
  (ownRun ? control.start() : Promise.reject(new Error('/run is not ours'))).then(
    () => log?.info({ path: control.socketPath }, 'control API listening'),
    (err: unknown) => log?.error({ err }, 'control API did not start'),
  );

  const stopIntents = new AbortController();
  for (;;) {
    const intent: Intent | undefined = await intents.next(stopIntents.signal);
    if (intent === undefined) continue;
    switch (intent.kind) {
      case 'reloadConfig':
        // Not awaited: a power intent queued behind it must not wait for k3s to restart.
        live.reload(intent.reason).catch((err: unknown) => log?.error({ err }, 'config reload failed'));
        break;
      case 'power':
        regime = 'shutdown';
        await shutdown(intent.action, intent.reason);
        return;
    }
  }

  function enterSteadyState(): void {
    // From here on, errors are logged and PID 1 goes on; nothing drops to recovery.
    if (regime === 'boot') regime = 'steady';
    log?.debug({ regime, orphans }, 'steady state');
  }

  async function shutdown(action: PowerAction, reason: string): Promise<void> {
    const startedAt = monotonicClock.now();
    log?.info({ action, reason }, `${action}: ${reason}`);
    say(`k3os-init: ${action} requested (${reason})`);
    let mounts: ReturnType<typeof parseMounts> = [];
    try { mounts = linuxHost.readMounts(); } catch { /* no /proc: nothing to unmount */ }
    const steps = planShutdown({
      runtime, action, mounts,
      services: supervisor.list().map((r) => ({ id: r.decl.id, stopTimeoutMs: r.decl.stopTimeoutMs })),
      owners: [...owners.keys()],
    });
    await executeShutdown(steps, {
      sys, runtime, supervisor, log: log!, clock: monotonicClock, delay: realDelay,
      stopOwner: async (name) => owners.get(name)?.(),
      targets: () => signalTargets(listProcesses(), process.pid),
      beforeUnmount: () => initLog.detach(),
      finish: async (act, line) => {
        if (ownRun) await control.stop();
        log?.info({ orphans }, `${orphans} orphans reaped since boot`);
        initLog.detach();
        consoleWriter.writeLine(line);
        await consoleWriter.stop();
        await keepAlive.stop();
        if (runtime === 'machine') {
          sys.reboot(act === 'reboot' ? 'restart' : act);
          return;
        }
        // The namespace's init exiting is the container's reboot.
        process.exit(0);
      },
    }, startedAt);
  }
}

function safeMounts(): ReturnType<typeof parseMounts> {
  try {
    return linuxHost.readMounts();
  } catch {
    return [];
  }
}

function kernelUptimeMs(): number | null {
  try {
    return Math.round(Number(fs.readFileSync('/proc/uptime', 'utf8').split(' ')[0]) * 1000);
  } catch {
    return null;
  }
}

main().catch((err: unknown) => fatalOrLog(err, 'main'));
