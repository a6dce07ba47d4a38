import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLineBuffer, droppedNotice } from '../../src/init/console/line-buffer.ts';
import { classifyError, createConsoleWriter, type ConsoleFile } from '../../src/init/console/writer.ts';
import { createConsoleLogStream, formatConsoleRecord } from '../../src/init/console/log-stream.ts';

function errno(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(code), { code });
}

/** A timer the test fires by hand. */
function manualTimer() {
  const pending: { fn: () => void; ms: number }[] = [];
  return {
    timer: (fn: () => void, ms: number) => {
      const t = { fn, ms };
      pending.push(t);
      return () => { const i = pending.indexOf(t); if (i >= 0) pending.splice(i, 1); };
    },
    pending,
    fire() { const t = pending.shift(); t?.fn(); return t?.ms; },
  };
}

test('line buffer drops new lines when full and then says how many', () => {
  const b = createLineBuffer({ maxLines: 3, maxBytes: 1000 });
  for (const l of ['a', 'b', 'c', 'd', 'e']) b.push(l);
  assert.equal(b.lines, 3);
  assert.equal(b.pendingDropped, 2);
  b.consume(2); b.consume(2);
  assert.equal(b.push('f'), true);
  const out: string[] = [];
  for (let h = b.head(); h; h = b.head()) { out.push(h.toString()); b.consume(h.length); }
  assert.deepEqual(out, ['c\n', '(2 lines dropped)\n', 'f\n']);
  assert.equal(b.totalDropped, 2);
  assert.equal(droppedNotice(1), '(1 line dropped)\n');
});

test('line buffer: byte limit, partial consume, notice alone when nothing follows', () => {
  const b = createLineBuffer({ maxLines: 100, maxBytes: 64 });
  assert.equal(b.push('x'.repeat(40)), true);
  assert.equal(b.push('y'.repeat(40)), false);
  b.consume(10);
  assert.equal(b.bytes, 31);
  assert.equal(b.head()?.toString(), `${'x'.repeat(30)}\n`);
  b.consume(31);
  assert.equal(b.pushNotice(), true);
  assert.equal(b.head()?.toString(), '(1 line dropped)\n');
  assert.equal(b.pushNotice(), false);
  assert.throws(() => createLineBuffer({ maxLines: 1, maxBytes: 10 }), RangeError);
});

test('errno policy: EAGAIN retries, a failed write reopens, a failed open means absent', () => {
  assert.equal(classifyError('EAGAIN', 'write'), 'retry');
  assert.equal(classifyError('EIO', 'write'), 'reopen');
  assert.equal(classifyError('ENXIO', 'write'), 'reopen');
  assert.equal(classifyError('ENOENT', 'open'), 'absent');
  assert.equal(classifyError('EAGAIN', 'open'), 'retry');
});

test('writer survives a hang-up (EIO): buffers, reopens later, reports the drops', async () => {
  const out: string[] = [];
  let hungUp = false;
  let opens = 0;
  const file: ConsoleFile = {
    open: () => { opens++; return 7; },
    write: (_fd, data) => { if (hungUp) throw errno('EIO'); out.push(data.toString()); return data.length; },
    close: () => {},
  };
  const t = manualTimer();
  const w = createConsoleWriter({ path: '/dev/ttyS0', file, timer: t.timer, limits: { maxLines: 3, maxBytes: 1000 }, retryMs: 10, maxRetryMs: 40 });
  w.writeLine('one');
  hungUp = true;
  for (const l of ['two', 'three', 'four', 'five', 'six']) w.writeLine(l);
  assert.equal(w.stats().state, 'absent');
  assert.equal(w.stats().lastError, 'EIO: write /dev/ttyS0');
  assert.equal(t.pending.length, 1, 'one retry pending, not one per line');
  assert.equal(t.fire(), 10);
  assert.equal(t.fire(), 20, 'backoff doubles while the line stays dead');
  hungUp = false;
  t.fire();
  assert.deepEqual(out, ['one\n', 'two\n', 'three\n', 'four\n', '(2 lines dropped)\n']);
  assert.equal(opens, 4);
  assert.equal(w.stats().state, 'open');
  assert.equal(w.stats().droppedLines, 2);
  await w.stop();
  w.writeLine('after stop');
  assert.equal(out.length, 5);
});

test('writer with no console at all never throws and keeps looking', async () => {
  const t = manualTimer();
  const w = createConsoleWriter({ file: { open: () => { throw errno('ENOENT'); }, write: () => 0, close: () => {} }, timer: t.timer, maxRetryMs: 100 });
  await w.start();
  for (let i = 0; i < 5000; i++) w.writeLine(`line ${i}`);
  assert.equal(w.stats().state, 'absent');
  assert.ok(w.stats().droppedLines > 0);
  for (let i = 0; i < 10; i++) t.fire();
  assert.equal(t.pending[0]?.ms, 100, 'retry delay capped');
  await w.stop();
  assert.equal(t.pending.length, 0, 'stop cancels the retry');
});

test('writer on a real full pipe: EAGAIN never blocks, output resumes with the drop count', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'console-writer-'));
  const fifo = join(dir, 'console');
  execFileSync('mkfifo', [fifo]);
  const reader = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
  const t = manualTimer();
  const w = createConsoleWriter({ path: fifo, timer: t.timer, limits: { maxLines: 50, maxBytes: 64 * 1024 } });
  try {
    const total = 20_000;
    for (let i = 0; i < total; i++) w.writeLine(`line ${String(i).padStart(5, '0')} ${'.'.repeat(100)}`);
    const s = w.stats();
    assert.equal(s.state, 'waiting');
    assert.ok(s.droppedLines > 0, 'a full pipe makes the writer drop');
    let text = '';
    const chunk = Buffer.alloc(65536);
    for (let rounds = 0; rounds < 100 && (t.pending.length > 0 || text === ''); rounds++) {
      for (;;) {
        let n = 0;
        try { n = readSync(reader, chunk, 0, chunk.length, null); } catch (e) { if ((e as NodeJS.ErrnoException).code === 'EAGAIN') break; throw e; }
        if (n === 0) break;
        text += chunk.subarray(0, n).toString();
      }
      t.fire();
    }
    for (;;) {
      let n = 0;
      try { n = readSync(reader, chunk, 0, chunk.length, null); } catch { break; }
      if (n === 0) break;
      text += chunk.subarray(0, n).toString();
    }
    const lines = text.split('\n').filter(Boolean);
    const m = /^\((\d+) lines dropped\)$/.exec(lines.at(-1) ?? '');
    assert.ok(m, `last line is the drop notice, got ${lines.at(-1)}`);
    assert.equal(lines.length - 1 + Number(m[1]), total, 'every line is either written or counted');
    const numbers = lines.slice(0, -1).map((l) => Number(l.slice(5, 10)));
    assert.deepEqual(numbers, numbers.map((_, i) => i), 'written lines are a prefix, in order, none torn');
  } finally {
    await w.stop();
    closeSync(reader);
    rmSync(dir, { recursive: true });
  }
});

test('console log stream: level filter, short human lines, non-JSON passes through', () => {
  const lines: string[] = [];
  const s = createConsoleLogStream({ writeLine: (l) => lines.push(l) }, 'info');
  s.write(`${JSON.stringify({ level: 20, msg: 'hidden' })}\n${JSON.stringify({ level: 30, msg: 'phase done', phase: 'network', ms: 12, token: 'secret' })}\n`);
  s.write(`${JSON.stringify({ level: 50, msg: 'boot failed', err: { message: 'ENOENT' } })}\nplain text\n`);
  s.setLevel('error');
  s.write(`${JSON.stringify({ level: 40, msg: 'dropped' })}\n`);
  assert.deepEqual(lines, [
    'k3os-init: phase done (phase=network ms=12)',
    'k3os-init: [error] boot failed: ENOENT',
    'plain text',
  ]);
  assert.equal(formatConsoleRecord({ level: 40, msg: 'a\x1b[2Jb' }), 'k3os-init: [warn] a?[2Jb');
});
