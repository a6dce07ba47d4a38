// The ACPI power button (qemu's system_powerdown, a short press on a real box).
// The kernel's `button` driver turns it into an evdev key press and does
// nothing else: PID 1 reads /dev/input/eventN of the device named
// "Power Button" and queues a poweroff intent.
import fs from 'node:fs';
import { join } from 'node:path';
import type { Owned } from '../lib/owned.ts';

export const INPUT_EVENT_SIZE = 24; // struct input_event on 64-bit: timeval (16), type, code (u16), value (s32)
export const EV_KEY = 1;
export const KEY_POWER = 116;

export interface InputEvent { type: number; code: number; value: number }

/** Whole events in `buf`; a trailing partial event is left for the caller to keep. */
export function decodeInputEvents(buf: Uint8Array): InputEvent[] {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const events: InputEvent[] = [];
  for (let off = 0; off + INPUT_EVENT_SIZE <= buf.byteLength; off += INPUT_EVENT_SIZE) {
    events.push({ type: view.getUint16(off + 16, true), code: view.getUint16(off + 18, true), value: view.getInt32(off + 20, true) });
  }
  return events;
}

/** A press, not the release (0) or autorepeat (2). */
export const isPowerPress = (e: InputEvent): boolean => e.type === EV_KEY && e.code === KEY_POWER && e.value === 1;

/** /dev/input/eventN of every input device named "Power Button" (ACPI's fixed button and the PNP one). */
export function findPowerButtons(sysClassInput = '/sys/class/input', readText = (p: string) => fs.readFileSync(p, 'utf8')): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(sysClassInput);
  } catch {
    return [];
  }
  return names
    .filter((n) => /^event\d+$/.test(n))
    .filter((n) => {
      try {
        return readText(join(sysClassInput, n, 'device/name')).trim() === 'Power Button';
      } catch {
        return false;
      }
    })
    .sort((a, b) => Number(a.slice(5)) - Number(b.slice(5)))
    .map((n) => `/dev/input/${n}`);
}

export interface PowerButtonLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/**
 * One blocking read per device, each holding one libuv threadpool thread
 * while it waits (evdev has no way into Node's event loop; a machine has one
 * or two power buttons). stop() closes the devices; a read already waiting
 * in the kernel ends with the next event or with the machine.
 */
export class PowerButton implements Owned {
  readonly name = 'power-button';
  readonly #devices: () => string[];
  readonly #onPress: (device: string) => void;
  readonly #log: PowerButtonLog;
  #fds: number[] = [];
  #stopped = false;

  constructor(o: { onPress: (device: string) => void; log: PowerButtonLog; devices?: () => string[] }) {
    this.#onPress = o.onPress;
    this.#log = o.log;
    this.#devices = o.devices ?? (() => findPowerButtons());
  }

  async start(): Promise<void> {
    if (this.#fds.length > 0 || this.#stopped) return;
    const devices = this.#devices();
    if (devices.length === 0) {
      this.#log.warn({}, 'power button: no "Power Button" input device (modules button, evdev); only signals power off');
      return;
    }
    for (const device of devices) {
      try {
        // libuv opens with O_CLOEXEC: spawned services never inherit the device.
        const fd = fs.openSync(device, 'r');
        this.#fds.push(fd);
        this.#read(device, fd, Buffer.alloc(INPUT_EVENT_SIZE * 16));
      } catch (err) {
        this.#log.warn({ err, device }, `power button: cannot open ${device}`);
      }
    }
    if (this.#fds.length > 0) this.#log.info({ devices }, 'power button: watching');
  }

  #read(device: string, fd: number, buf: Buffer): void {
    fs.read(fd, buf, 0, buf.length, null, (err, n) => {
      if (this.#stopped) return;
      if (err) {
        this.#log.warn({ err, device }, `power button: reading ${device} failed; it is ignored from now on`);
        return;
      }
      if (decodeInputEvents(buf.subarray(0, n)).some(isPowerPress)) this.#onPress(device);
      this.#read(device, fd, buf);
    });
  }

  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    for (const fd of this.#fds) fs.close(fd, () => {});
    this.#fds = [];
  }
}
