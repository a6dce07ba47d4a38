import fs from 'node:fs';
import path from 'node:path';

/**
 * init.log: JSON lines held in memory until /var is mounted, then appended to
 * the file. The early buffer is bounded (oldest dropped, counted) so a boot
 * that never mounts /var cannot grow PID 1's heap without end.
 */
export class MemoryThenFile {
  readonly #maxBuffered: number;
  #buffer: string[] = [];
  #bufferedBytes = 0;
  #dropped = 0;
  #fd: number | null = null;
  #path: string | null = null;

  constructor(maxBuffered = 2 * 1024 * 1024) {
    this.#maxBuffered = maxBuffered;
  }

  get path(): string | null {
    return this.#path;
  }

  write(line: string): void {
    if (this.#fd !== null) {
      try {
        fs.writeSync(this.#fd, line);
        return;
      } catch {
        // Disk full or gone: keep the line in memory rather than lose it.
        this.#closeFd();
      }
    }
    this.#buffer.push(line);
    this.#bufferedBytes += line.length;
    while (this.#bufferedBytes > this.#maxBuffered && this.#buffer.length > 0) {
      this.#bufferedBytes -= this.#buffer.shift()?.length ?? 0;
      this.#dropped++;
    }
  }

  /** Opens the file and writes what was buffered. */
  open(file: string): void {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    this.#closeFd();
    this.#fd = fs.openSync(file, 'a', 0o640);
    this.#path = file;
    if (this.#dropped > 0) {
      fs.writeSync(this.#fd, `${JSON.stringify({ level: 40, time: Date.now(), msg: `${this.#dropped} early log lines dropped` })}\n`);
      this.#dropped = 0;
    }
    for (const l of this.#buffer) fs.writeSync(this.#fd, l);
    this.#buffer = [];
    this.#bufferedBytes = 0;
  }

  /** Back to memory (before /var is unmounted at shutdown). */
  detach(): void {
    this.#closeFd();
  }

  #closeFd(): void {
    if (this.#fd === null) return;
    try {
      fs.fsyncSync(this.#fd);
      fs.closeSync(this.#fd);
    } catch {
      // closing a log file must not stop a shutdown
    }
    this.#fd = null;
  }
}
