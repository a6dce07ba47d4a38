// The addon's error shape and constants. Needs the built addon (`make addon`),
// makes no syscall that changes anything.
import assert from 'node:assert/strict';
import { constants } from 'node:os';
import { test } from 'node:test';
import { getSystemErrorMap, getSystemErrorName } from 'node:util';

import { loadAddon } from '../../src/sys/addon.ts';
import { LINUX_REBOOT_CMD, MNT, MS } from '../../src/sys/constants.ts';
import { signalName } from '../../src/sys/signals.ts';

const addon = loadAddon();

test('errors have the node:fs shape', () => {
  const error = addon.errnoError(16, 'umount2', '/var');
  assert.ok(error instanceof Error);
  assert.equal(error.message, "EBUSY: device or resource busy, umount2 '/var'");
  assert.deepEqual({ ...error }, { errno: -16, code: 'EBUSY', syscall: 'umount2', path: '/var' });
  const noPath = addon.errnoError(1, 'reboot');
  assert.equal(noPath.message, 'EPERM: operation not permitted, reboot');
  assert.equal('path' in noPath, false);
});

test('errno codes agree with Node for every errno Node knows', () => {
  let compared = 0;
  for (const [errno, [name]] of getSystemErrorMap()) {
    if (errno >= 0 || errno < -133) continue; // libuv's own UV_E* numbers lie beyond Linux errnos
    assert.equal(addon.errnoError(-errno, 'x').code, name, `errno ${errno}`);
    assert.equal(getSystemErrorName(addon.errnoError(-errno, 'x').errno as number), name);
    compared++;
  }
  assert.ok(compared > 50, `compared ${compared}`);
});

test('errnos Node does not name still get names; gaps are UNKNOWN_ERRNO_<n>', () => {
  assert.equal(addon.errnoError(10, 'waitid').code, 'ECHILD');
  assert.equal(addon.errnoError(123, 'open').code, 'ENOMEDIUM');
  assert.equal(addon.errnoError(15, 'mount').code, 'ENOTBLK');
  assert.equal(addon.errnoError(41, 'x').code, 'UNKNOWN_ERRNO_41');
  const unknown = addon.errnoError(4000, 'x');
  assert.equal(unknown.code, 'UNKNOWN_ERRNO_4000');
  assert.equal(unknown.errno, -4000);
  assert.match(unknown.message, /^UNKNOWN_ERRNO_4000: unknown error 4000, x$/);
});

test('a real failing call throws that shape', () => {
  assert.throws(() => addon.umount2('/nonexistent/k3os-test', 0), {
    code: 'ENOENT', errno: -2, syscall: 'umount2', path: '/nonexistent/k3os-test',
    message: "ENOENT: no such file or directory, umount2 '/nonexistent/k3os-test'",
  });
  // EBADF, or ENOSYS on kernels built without module support.
  assert.throws(() => addon.finitModule(-1, '', 0, '/lib/modules/x.ko'), (error: NodeJS.ErrnoException) => {
    assert.match(error.code ?? '', /^(EBADF|ENOSYS)$/);
    assert.equal(error.syscall, 'finit_module');
    assert.equal(error.path, '/lib/modules/x.ko');
    return true;
  });
});

test('native argument checks are TypeErrors', () => {
  assert.throws(() => addon.umount2(5 as unknown as string, 0), { name: 'TypeError', message: /argument 0 \(target\)/ });
  assert.throws(() => addon.spawn('/bin/true', ['x'], [], null, [0, 1] as unknown as [number, number, number], false, false, -1, -1), TypeError);
});

test("the facade's constants are the kernel headers'", () => {
  const { mountConstants: m, rebootConstants: r } = addon;
  assert.deepEqual(
    [MS.RDONLY, MS.NOSUID, MS.NODEV, MS.NOEXEC, MS.REMOUNT, MS.BIND, MS.REC, MS.PRIVATE, MS.SLAVE, MS.SHARED, MS.RELATIME, MS.NOATIME, MS.MOVE, MNT.FORCE, MNT.DETACH],
    [m.MS_RDONLY, m.MS_NOSUID, m.MS_NODEV, m.MS_NOEXEC, m.MS_REMOUNT, m.MS_BIND, m.MS_REC, m.MS_PRIVATE, m.MS_SLAVE, m.MS_SHARED, m.MS_RELATIME, m.MS_NOATIME, m.MS_MOVE, m.MNT_FORCE, m.MNT_DETACH],
  );
  assert.deepEqual(
    [LINUX_REBOOT_CMD.RESTART, LINUX_REBOOT_CMD.POWER_OFF, LINUX_REBOOT_CMD.HALT, LINUX_REBOOT_CMD.CAD_ON, LINUX_REBOOT_CMD.CAD_OFF],
    [r.LINUX_REBOOT_CMD_RESTART, r.LINUX_REBOOT_CMD_POWER_OFF, r.LINUX_REBOOT_CMD_HALT, r.LINUX_REBOOT_CMD_CAD_ON, r.LINUX_REBOOT_CMD_CAD_OFF],
  );
});

test('signal numbers map to Node signal names', () => {
  assert.equal(signalName(constants.signals.SIGTERM), 'SIGTERM');
  assert.equal(signalName(9), 'SIGKILL');
  assert.equal(signalName(6), 'SIGABRT');
  assert.equal(signalName(40), 'SIG40');
});
