import fs from 'node:fs';
import tty from 'node:tty';
import type { ExitStatus, SpawnSpec, Sys } from '../../sys/types.ts';
import type { Logger } from '../log/logger.ts';
import { redactArgv } from '../log/redact.ts';
import type { Clock, Delay } from '../../lib/time.ts';
import type { Owned } from '../../lib/owned.ts';
import { OutputPipe, RotatingFile } from './output.ts';
import { backoffDelay } from '../../lib/backoff.ts';
import { describeExit } from '../../sys/exit-status.ts';
import { DEFAULT_BACKOFF, nextAttempt, shouldRestart, type BackoffOptions } from './restart.ts';
import { StateHistory } from './state.ts';
import { DEFAULT_LOG_ROTATION, type ServiceDecl } from './types.ts';

export interface ServiceDeps {
  sys: Sys;
  log: Logger;
  clock: Clock;
  delay: Delay;
  random?: () => number;
  backoff?: BackoffOptions;
  /** Waits until every dependency has run once; aborts with the signal. */
  dependencies?: (signal: AbortSignal) => Promise<void>;
  /** Builds the output pipe; the default reads a sys.pipe() into decl.logFile. */
  openOutput?: (decl: ServiceDecl) => OutputPipe | null;
}

/**
 * One supervised service: spawn, wait for its exit from the reaper, restart
 * by policy with capped exponential backoff. stop() is SIGTERM, wait
 * stopTimeoutMs, SIGKILL, wait; it resolves once the loop has settled.
 */
export class ServiceRunner implements Owned {
  readonly name: string;
  readonly decl: ServiceDecl;
  readonly status = new StateHistory(64);
  readonly #d: ServiceDeps;
  readonly #abort = new AbortController();
  #loop: Promise<void> | undefined;
  #pid: number | null = null;
  #exit: Promise<ExitStatus> | null = null;
  #output: OutputPipe | null = null;
  #restarts = 0;
  #firstRun: { promise: Promise<void>; resolve: () => void };

  constructor(decl: ServiceDecl, deps: ServiceDeps) {
    this.name = `service ${decl.id}`;
    this.decl = decl;
    this.#d = deps;
    let resolve = () => {};
    const promise = new Promise<void>((r) => { resolve = r; });
    this.#firstRun = { promise, resolve };
  }

  get pid(): number | null {
    return this.#pid;
  }

  get restarts(): number {
    return this.#restarts;
  }

  /** Resolves when the service has been spawned for the first time. */
  get started(): Promise<void> {
    return this.#firstRun.promise;
  }

  lastLines(): string[] {
    return this.#output?.tail.lines() ?? [];
  }

  async start(): Promise<void> {
    this.#loop ??= this.#run().catch((err: unknown) => {
      this.status.set('failed', (err as Error).message);
      this.#d.log.error({ err }, 'supervisor loop failed');
    });
  }

  async stop(): Promise<void> {
    this.#abort.abort();
    const pid = this.#pid;
    const exit = this.#exit;
    if (pid !== null && exit !== null) {
      this.status.set('stopping', `SIGTERM to ${pid}`);
      this.#d.log.info({ pid }, `stopping ${this.decl.id}`);
      if (!(await this.#signalAndWait(pid, 'SIGTERM', exit, this.decl.stopTimeoutMs))) {
        this.#d.log.warn({ pid, ms: this.decl.stopTimeoutMs }, `${this.decl.id} ignored SIGTERM, sending SIGKILL`);
        await this.#signalAndWait(pid, 'SIGKILL', exit, 5_000);
      }
    }
    await this.#loop;
    this.#output?.close();
    this.#output = null;
    if (this.status.state !== 'failed' && this.status.state !== 'finished') this.status.set('stopped', 'stopped');
  }

  async #signalAndWait(pid: number, signal: NodeJS.Signals, exit: Promise<ExitStatus>, ms: number): Promise<boolean> {
    try {
      this.#d.sys.kill(pid, signal);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
    }
    const timer = new AbortController();
    const exited = await Promise.race([
      exit.then(() => true),
      this.#d.delay(ms, timer.signal).then(() => false),
    ]);
    timer.abort();
    return exited;
  }

  async #run(): Promise<void> {
    const signal = this.#abort.signal;
    const log = this.#d.log;
    if (this.#d.dependencies) {
      this.status.set('waiting', `waiting for ${this.decl.dependsOn.join(', ')}`);
      await this.#d.dependencies(signal);
    }
    if (this.decl.condition) {
      this.status.set('waiting', `waiting for ${this.decl.condition.describe}`);
      await this.decl.condition.wait(signal);
    }
    let attempt = 0;
    while (!signal.aborted) {
      this.status.set('starting', `attempt ${attempt}`);
      let pid: number;
      let exit: Promise<ExitStatus>;
      try {
        ({ pid, exit } = this.#spawn());
      } catch (err) {
        this.#firstRun.resolve();
        const e = err as NodeJS.ErrnoException;
        log.error({ err: e, argv0: this.decl.argv[0] }, `${this.decl.id}: spawn failed: ${e.code ?? e.message}`);
        if (this.decl.restart === 'once') {
          this.status.set('failed', e.message);
          return;
        }
        attempt = await this.#backoff(attempt, 0);
        continue;
      }
      this.#pid = pid;
      this.#exit = exit;
      const startedAt = this.#d.clock.now();
      this.status.set('running', `pid ${pid}`);
      log.info({ pid, restarts: this.#restarts }, `${this.decl.id} started`);
      this.#firstRun.resolve();
      const status = await exit;
      const ranMs = Math.round(this.#d.clock.now() - startedAt);
      this.#pid = null;
      this.#exit = null;
      const fields = { pid, code: status.code, signal: status.signal, ranMs, lastLines: this.lastLines().slice(-10) };
      if (signal.aborted) {
        log.info(fields, `${this.decl.id} exited (${describeExit(status)})`);
        return;
      }
      if (!shouldRestart(this.decl.restart, status)) {
        const ok = status.code === 0 && status.signal === null;
        this.status.set(ok ? 'finished' : 'failed', describeExit(status));
        log[ok ? 'info' : 'error'](fields, `${this.decl.id} exited (${describeExit(status)}), not restarted (${this.decl.restart})`);
        return;
      }
      log.warn(fields, `${this.decl.id} exited (${describeExit(status)})`);
      attempt = await this.#backoff(attempt, ranMs);
    }
  }

  /** Sleeps the backoff delay; returns the next attempt number. */
  async #backoff(attempt: number, ranMs: number): Promise<number> {
    const next = nextAttempt(attempt, ranMs, this.#d.backoff ?? DEFAULT_BACKOFF);
    const delayMs = backoffDelay(next === 0 ? 0 : attempt, this.#d.backoff ?? DEFAULT_BACKOFF, this.#d.random);
    this.#restarts++;
    this.status.set('backoff', `restart in ${delayMs} ms`);
    this.#d.log.info({ delayMs, attempt: next, restarts: this.#restarts }, `${this.decl.id} restarting in ${delayMs} ms`);
    await this.#d.delay(delayMs, this.#abort.signal);
    return next;
  }

  #spawn(): { pid: number; exit: Promise<ExitStatus> } {
    const { sys } = this.#d;
    const spec: SpawnSpec = {
      argv: this.decl.argv,
      env: this.decl.env,
      ...(this.decl.cwd !== undefined ? { cwd: this.decl.cwd } : {}),
      ...(this.decl.setsid ? { setsid: true } : {}),
    };
    const opened: number[] = [];
    try {
      if (this.decl.tty !== undefined) {
        const fd = fs.openSync(this.decl.tty, fs.constants.O_RDWR | fs.constants.O_NOCTTY);
        opened.push(fd);
        Object.assign(spec, { stdin: { fd }, stdout: { fd }, stderr: { fd } });
        if (tty.isatty(fd)) Object.assign(spec, { setsid: true, controllingTty: true });
      } else if (this.decl.stdioPaths !== undefined) {
        const [i, o, e] = this.decl.stdioPaths;
        const inFd = openStdio(i, fs.constants.O_RDONLY, opened);
        Object.assign(spec, {
          stdin: { fd: inFd },
          stdout: { fd: openStdio(o, fs.constants.O_WRONLY, opened) },
          stderr: { fd: openStdio(e, fs.constants.O_WRONLY, opened) },
        });
        if (tty.isatty(inFd)) Object.assign(spec, { setsid: true, controllingTty: true });
      } else if (this.decl.inheritStdio) {
        Object.assign(spec, { stdin: { fd: 0 }, stdout: { fd: 1 }, stderr: { fd: 2 } });
        if (tty.isatty(0)) Object.assign(spec, { setsid: true, controllingTty: true });
      } else {
        this.#output ??= (this.#d.openOutput ?? ((d) => defaultOutput(sys, d, this.#d.log)))(this.decl);
        if (this.#output) Object.assign(spec, { stdin: 'null', stdout: { fd: this.#output.writeFd }, stderr: { fd: this.#output.writeFd } });
      }
      this.#d.log.debug({ argv: redactArgv(this.decl.argv) }, `${this.decl.id} spawning`);
      const pid = sys.spawn(spec);
      // Subscribe in the same tick: the reaper delivers exits asynchronously.
      const exit = new Promise<ExitStatus>((resolve) => { sys.reaper.onExit(pid, resolve); });
      return { pid, exit };
    } finally {
      for (const fd of opened) fs.closeSync(fd);
    }
  }
}

function openStdio(p: string, flags: number, opened: number[]): number {
  try {
    const fd = fs.openSync(p, flags | fs.constants.O_NOCTTY);
    opened.push(fd);
    return fd;
  } catch (err) {
    const own = /^\/proc\/self\/fd\/([0-2])$/.exec(p);
    if (own) return Number(own[1]);
    throw err;
  }
}

function defaultOutput(sys: Sys, decl: ServiceDecl, log: Logger): OutputPipe {
  const file = new RotatingFile(decl.logFile ?? `/var/log/${decl.id}.log`, DEFAULT_LOG_ROTATION.maxBytes, DEFAULT_LOG_ROTATION.keep);
  return new OutputPipe(sys.pipe(), file, (err) => log.warn({ err }, `${decl.id} output`));
}
