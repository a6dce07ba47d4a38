import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { decodeInputEvents, EV_KEY, findPowerButtons, INPUT_EVENT_SIZE, isPowerPress, KEY_POWER } from '../../src/init/power-button.ts';

/** struct input_event as the kernel writes it on x86_64 (little endian). */
function event(type: number, code: number, value: number, sec = 1700000000): Buffer {
  const b = Buffer.alloc(INPUT_EVENT_SIZE);
  b.writeBigInt64LE(BigInt(sec), 0);
  b.writeBigInt64LE(123456n, 8);
  b.writeUInt16LE(type, 16);
  b.writeUInt16LE(code, 18);
  b.writeInt32LE(value, 20);
  return b;
}

test('decodes a press, its SYN_REPORT and the release, as qemu system_powerdown produces them', () => {
  const buf = Buffer.concat([event(EV_KEY, KEY_POWER, 1), event(0, 0, 0), event(EV_KEY, KEY_POWER, 0), event(0, 0, 0)]);
  const events = decodeInputEvents(buf);
  assert.deepEqual(events.map((e) => [e.type, e.code, e.value]), [[1, 116, 1], [0, 0, 0], [1, 116, 0], [0, 0, 0]]);
  assert.deepEqual(events.map(isPowerPress), [true, false, false, false]);
});

test('release, autorepeat and other keys are not a press; a trailing partial event is not decoded', () => {
  assert.equal(isPowerPress({ type: EV_KEY, code: KEY_POWER, value: 0 }), false);
  assert.equal(isPowerPress({ type: EV_KEY, code: KEY_POWER, value: 2 }), false);
  assert.equal(isPowerPress({ type: EV_KEY, code: 142 /* KEY_SLEEP */, value: 1 }), false);
  assert.equal(isPowerPress({ type: 4 /* EV_MSC */, code: KEY_POWER, value: 1 }), false);
  const partial = Buffer.concat([event(EV_KEY, 30, 1), event(EV_KEY, KEY_POWER, 1).subarray(0, 20)]);
  assert.deepEqual(decodeInputEvents(partial).map((e) => e.code), [30]);
  // A view into a larger buffer at an offset decodes from its own start.
  const big = Buffer.concat([Buffer.alloc(8), event(EV_KEY, KEY_POWER, 1)]);
  assert.equal(isPowerPress(decodeInputEvents(big.subarray(8))[0]!), true);
});

test('finds every event device named "Power Button", in number order', () => {
  const dir = mkdtempSync(join(tmpdir(), 'k3os-input-'));
  try {
    const dev = (n: string, name: string | null) => {
      mkdirSync(join(dir, n, 'device'), { recursive: true });
      if (name !== null) writeFileSync(join(dir, n, 'device/name'), `${name}\n`);
    };
    dev('event10', 'Power Button');
    dev('event2', 'Power Button');
    dev('event1', 'AT Translated Set 2 keyboard');
    dev('event3', null);
    dev('input5', 'Power Button');
    assert.deepEqual(findPowerButtons(dir), ['/dev/input/event2', '/dev/input/event10']);
    assert.deepEqual(findPowerButtons(join(dir, 'missing')), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
