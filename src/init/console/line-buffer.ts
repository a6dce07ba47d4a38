// A bounded queue of console output. When full, new lines are dropped and counted;
// once there is room again, "(N lines dropped)" is queued before the next line, so
// the reader sees exactly where output went missing.

export interface LineBufferLimits {
  maxLines: number;
  maxBytes: number;
}

export const DEFAULT_LINE_BUFFER_LIMITS: LineBufferLimits = { maxLines: 1000, maxBytes: 256 * 1024 };

export function droppedNotice(n: number): string {
  return `(${n} line${n === 1 ? '' : 's'} dropped)\n`;
}

export interface LineBuffer {
  /** Queue one line (a trailing newline is added when missing); false when dropped. */
  push(line: string): boolean;
  /** The bytes to write next, or undefined when empty. */
  head(): Buffer | undefined;
  /** Mark n bytes of the head as written (partial writes keep the rest). */
  consume(n: number): void;
  /** Queue the dropped notice alone (when output drained and no line follows); false if none or no room. */
  pushNotice(): boolean;
  /** Lines dropped since the last notice was queued. */
  readonly pendingDropped: number;
  /** Lines dropped since creation. */
  readonly totalDropped: number;
  readonly lines: number;
  readonly bytes: number;
}

export function createLineBuffer(limits: LineBufferLimits = DEFAULT_LINE_BUFFER_LIMITS): LineBuffer {
  if (!(limits.maxLines >= 2) || !(limits.maxBytes >= 64)) {
    throw new RangeError('line buffer: maxLines must be >= 2 and maxBytes >= 64 (room for a line and the dropped notice)');
  }
  const queue: Buffer[] = [];
  let bytes = 0;
  let pending = 0;
  let total = 0;
  const fits = (extraLines: number, extraBytes: number) =>
    queue.length + extraLines <= limits.maxLines && bytes + extraBytes <= limits.maxBytes;
  const enqueue = (b: Buffer) => { queue.push(b); bytes += b.length; };
  return {
    push(line) {
      const b = Buffer.from(line.endsWith('\n') ? line : `${line}\n`);
      if (pending > 0) {
        const notice = Buffer.from(droppedNotice(pending));
        if (!fits(2, notice.length + b.length)) { pending++; total++; return false; }
        enqueue(notice);
        pending = 0;
      } else if (!fits(1, b.length)) {
        pending++; total++;
        return false;
      }
      enqueue(b);
      return true;
    },
    pushNotice() {
      if (pending === 0) return false;
      const notice = Buffer.from(droppedNotice(pending));
      if (!fits(1, notice.length)) return false;
      enqueue(notice);
      pending = 0;
      return true;
    },
    head: () => queue[0],
    consume(n) {
      const h = queue[0];
      if (!h || n <= 0) return;
      if (n >= h.length) { queue.shift(); bytes -= h.length; return; }
      queue[0] = h.subarray(n);
      bytes -= n;
    },
    get pendingDropped() { return pending; },
    get totalDropped() { return total; },
    get lines() { return queue.length; },
    get bytes() { return bytes; },
  };
}
