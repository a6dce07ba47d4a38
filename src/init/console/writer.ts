// PID 1's console output. A slow, hung-up or absent console must never stall PID 1:
// the terminal is opened O_NONBLOCK|O_NOCTTY, written with non-blocking writes from a
// bounded buffer, and whatever does not fit is dropped and counted.
import { closeSync, constants, openSync, writeSync } from 'node:fs';
import { createLineBuffer, DEFAULT_LINE_BUFFER_LIMITS, type LineBuffer, type LineBufferLimits } from './line-buffer.ts';

/** The file operations the writer needs; the real ones are node:fs, tests pass a fake. */
export interface ConsoleFile {
  open(path: string): number;
  write(fd: number, data: Buffer): number;
  close(fd: number): void;
}

// libuv opens every file close-on-exec, so children never inherit the console fd.
export const fsConsoleFile: ConsoleFile = {
  open: (path) => openSync(path, constants.O_WRONLY | constants.O_NONBLOCK | constants.O_NOCTTY),
  write: (fd, data) => writeSync(fd, data, 0, data.length),
  close: (fd) => closeSync(fd),
};

export type Timer = (fn: () => void, ms: number) => () => void;

const realTimer: Timer = (fn, ms) => {
  const t = setTimeout(fn, ms);
  t.unref();
  return () => clearTimeout(t);
};

/** What the writer does after a failed call, by errno. */
export type ErrorAction = 'retry' | 'reopen' | 'absent';

/**
 * EAGAIN: the line is slow, try the same fd later. EIO / EPIPE / ENXIO / EBADF on write:
 * the terminal hung up (or was revoked), reopen later. On open, ENOENT / ENXIO /
 * ENODEV / EACCES... mean there is no console: keep buffering, look again later.
 */
export function classifyError(code: string | undefined, during: 'open' | 'write'): ErrorAction {
  if (code === 'EAGAIN' || code === 'EWOULDBLOCK' || code === 'EINTR') return 'retry';
  return during === 'open' ? 'absent' : 'reopen';
}

export interface ConsoleWriterOptions {
  path?: string;
  file?: ConsoleFile;
  limits?: LineBufferLimits;
  /** First retry delay; doubles while the console stays unwritable, capped at maxRetryMs. */
  retryMs?: number;
  maxRetryMs?: number;
  timer?: Timer;
}

export type ConsoleWriterState = 'closed' | 'open' | 'waiting' | 'absent' | 'stopped';

export interface ConsoleWriterStats {
  state: ConsoleWriterState;
  queuedLines: number;
  droppedLines: number;
  writtenBytes: number;
  lastError?: string;
}

export interface ConsoleWriter {
  readonly name: string;
  /** Queue one line and write what the terminal takes now; never blocks, never throws. */
  writeLine(line: string): void;
  start(): Promise<void>;
  /** Last non-blocking attempt to drain, then close. Idempotent. */
  stop(): Promise<void>;
  stats(): ConsoleWriterStats;
}

export function createConsoleWriter(opts: ConsoleWriterOptions = {}): ConsoleWriter {
  const path = opts.path ?? '/dev/console';
  const file = opts.file ?? fsConsoleFile;
  const timer = opts.timer ?? realTimer;
  const retryMs = opts.retryMs ?? 50;
  const maxRetryMs = opts.maxRetryMs ?? 5000;
  const buf: LineBuffer = createLineBuffer(opts.limits ?? DEFAULT_LINE_BUFFER_LIMITS);
  let fd: number | undefined;
  let state: ConsoleWriterState = 'closed';
  let cancel: (() => void) | undefined;
  let delay = retryMs;
  let written = 0;
  let lastError: string | undefined;

  const clearTimer = () => {
    cancel?.();
    cancel = undefined;
  };

  const closeFd = () => {
    if (fd === undefined) return;
    try { file.close(fd); } catch { /* already gone: nothing to release */ }
    fd = undefined;
  };

  const later = (next: ConsoleWriterState) => {
    state = next;
    if (cancel) return;
    const ms = delay;
    delay = Math.min(delay * 2, maxRetryMs);
    cancel = timer(() => { cancel = undefined; pump(); }, ms);
  };

  const pump = () => {
    if (state === 'stopped') return;
    if (fd === undefined) {
      try {
        fd = file.open(path);
        state = 'open';
      } catch (e) {
        const err = e as NodeJS.ErrnoException;
        lastError = `${err.code ?? 'ERROR'}: open ${path}`;
        later(classifyError(err.code, 'open') === 'retry' ? 'waiting' : 'absent');
        return;
      }
    }
    for (;;) {
      let head = buf.head();
      if (!head) {
        if (!buf.pushNotice()) break;
        head = buf.head()!;
      }
      try {
        const n = file.write(fd, head);
        written += n;
        buf.consume(n);
        delay = retryMs;
        if (n === 0) { later('waiting'); return; }
      } catch (e) {
        const err = e as NodeJS.ErrnoException;
        lastError = `${err.code ?? 'ERROR'}: write ${path}`;
        if (classifyError(err.code, 'write') === 'retry') { later('waiting'); return; }
        closeFd();
        later('absent');
        return;
      }
    }
    state = 'open';
  };

  return {
    name: `console-writer ${path}`,
    writeLine(line) {
      if (state === 'stopped') return;
      buf.push(line);
      // While a retry is pending the terminal is known to be full or gone; the timer drains.
      if (!cancel) pump();
    },
    async start() {
      if (state === 'closed') pump();
    },
    async stop() {
      if (state === 'stopped') return;
      clearTimer();
      if (fd !== undefined) pump();
      clearTimer();
      state = 'stopped';
      closeFd();
    },
    stats: () => ({
      state,
      queuedLines: buf.lines,
      droppedLines: buf.totalDropped,
      writtenBytes: written,
      ...(lastError ? { lastError } : {}),
    }),
  };
}
