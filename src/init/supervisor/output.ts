import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { LineTail, planRotation } from './rotation.ts';

/** A log file that rotates to file.1 .. file.<keep> past maxBytes. */
export class RotatingFile {
  readonly #path: string;
  readonly #maxBytes: number;
  readonly #keep: number;
  #fd: number | null = null;
  #size = 0;

  constructor(file: string, maxBytes: number, keep: number) {
    this.#path = file;
    this.#maxBytes = maxBytes;
    this.#keep = keep;
  }

  write(chunk: Buffer): void {
    if (this.#fd === null) this.#open();
    if (this.#size > 0 && this.#size + chunk.length > this.#maxBytes) this.#rotate();
    if (this.#fd === null) return;
    // Sync append: log files live on local disks or tmpfs, and a
    // line-at-a-time order across rotations matters more than overlap.
    fs.writeSync(this.#fd, chunk);
    this.#size += chunk.length;
  }

  close(): void {
    if (this.#fd !== null) fs.closeSync(this.#fd);
    this.#fd = null;
  }

  #open(): void {
    fs.mkdirSync(path.dirname(this.#path), { recursive: true });
    this.#fd = fs.openSync(this.#path, 'a', 0o640);
    this.#size = fs.fstatSync(this.#fd).size;
  }

  #rotate(): void {
    this.close();
    for (const r of planRotation(this.#path, this.#keep)) {
      try {
        fs.renameSync(r.from, r.to);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    }
    this.#open();
  }
}

/**
 * A service's output: a pipe whose write end the children get as stdout and
 * stderr, read by PID 1 (libuv pipe handle, never blocks the loop) into the
 * log file and a tail of recent lines for exit errors.
 */
export class OutputPipe {
  readonly writeFd: number;
  readonly tail = new LineTail(50);
  readonly #socket: net.Socket;
  readonly #file: RotatingFile;
  #closed = false;

  constructor(fds: [number, number], file: RotatingFile, onError: (err: Error) => void) {
    const [readFd, writeFd] = fds;
    this.writeFd = writeFd;
    this.#file = file;
    this.#socket = new net.Socket({ fd: readFd, readable: true, writable: false });
    this.#socket.on('data', (chunk: Buffer) => {
      this.tail.push(chunk.toString('utf8'));
      try {
        this.#file.write(chunk);
      } catch (err) {
        onError(err as Error);
      }
    });
    this.#socket.on('error', onError);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    try {
      fs.closeSync(this.writeFd);
    } catch {
      // already closed: nothing to release
    }
    this.#socket.destroy();
    this.#file.close();
  }
}
