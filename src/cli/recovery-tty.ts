// Line input for the recovery menu on its terminal. Reads are synchronous on fd 0:
// the menu has nothing else to do while it waits, and leaving fd 0 alone (no libuv
// stream, so no O_NONBLOCK on the shared file description) means the shell it starts
// inherits a terminal that behaves normally.
import { spawnSync } from 'node:child_process';
import { readSync, writeSync } from 'node:fs';
import type { RecoveryIO } from './recovery-session.ts';

const pause = new Int32Array(new SharedArrayBuffer(4));

function readChunk(fd: number, buf: Buffer): number {
  for (;;) {
    try {
      return readSync(fd, buf, 0, buf.length, null);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN' || code === 'EINTR') { Atomics.wait(pause, 0, 0, 50); continue; }
      // EIO: the terminal hung up. Treat like end of input; the supervisor starts us again.
      return 0;
    }
  }
}

export function createTtyIO(opts: { inFd?: number; outFd?: number } = {}): RecoveryIO {
  const inFd = opts.inFd ?? 0;
  const outFd = opts.outFd ?? 1;
  let pending = '';
  let eof = false;
  const buf = Buffer.alloc(4096);
  const write = (text: string) => {
    try { writeSync(outFd, text); } catch { /* terminal gone: nothing to tell */ }
  };
  const line = (): string | null => {
    for (;;) {
      const nl = pending.search(/\r?\n|\r/);
      if (nl >= 0) {
        const m = /\r?\n|\r/.exec(pending.slice(nl))!;
        const out = pending.slice(0, nl);
        pending = pending.slice(nl + m[0].length);
        return out;
      }
      if (eof) {
        if (pending === '') return null;
        const out = pending;
        pending = '';
        return out;
      }
      const n = readChunk(inFd, buf);
      if (n === 0) eof = true;
      else pending += buf.subarray(0, n).toString('utf8');
    }
  };
  const stty = (arg: string) => {
    spawnSync('/bin/busybox', ['stty', arg], { stdio: [inFd, 'ignore', 'ignore'] });
  };
  return {
    write,
    async readLine(prompt) {
      write(prompt);
      return line();
    },
    async readSecret(prompt) {
      write(prompt);
      stty('-echo');
      try { return line(); } finally { stty('echo'); }
    },
  };
}
