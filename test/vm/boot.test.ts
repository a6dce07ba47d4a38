// Boots the real image: readiness in live and disk mode, /var persistence across boots of one
// state disk, and three clean shutdown paths: the ACPI power button (PID 1 reads its evdev
// device), ctrl-alt-del (SIGINT to PID 1) and busybox `poweroff` run by PID 1's run_cmd (SIGUSR2).
// Three boots in all.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { INITRD, makeStateDisk, READY, readFromDisk, withVm, type Vm } from './harness.ts';
import { SLIRP_GATEWAY_APPEND } from './guest.ts';

const SHUTDOWN = /k3os-init: (reboot|poweroff) after clean shutdown in (\d+) ms/;
const NET = ['user,restrict=on'];
// With a route, the network phase is online as soon as the lease is there (not after its timeout).
const APPEND = SLIRP_GATEWAY_APPEND;
// busybox poweroff signals PID 1 (SIGUSR2) once boot is complete (the control socket exists).
const BUSYBOX_POWEROFF = 'run_cmd="(until [ -S /run/k3os/init.sock ]; do sleep 0.2; done; poweroff) >/dev/console 2>&1 &"';
const LOG = '/var/log/k3os/init.log';

const ready = async (vm: Vm): Promise<{ mode: string; k3s: number }> => {
  const m = await vm.waitFor(READY);
  return { mode: m[2] ?? '', k3s: Number(m[3]) };
};

const e2fsckClean = async (image: string): Promise<void> => {
  const { spawnSync } = await import('node:child_process');
  const r = spawnSync('e2fsck', ['-fn', image], { encoding: 'utf8' });
  assert.equal(r.status, 0, `e2fsck -fn ${image}: ${r.stdout}${r.stderr}`);
};

describe('boot', { skip: !existsSync(INITRD) && 'no image: run make image' }, () => {
  let dir = '';
  let disk = '';
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'k3os-boot-test-'));
    disk = join(dir, 'state.img');
    await makeStateDisk(disk, 256);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('live mode without a state disk; power button powers off cleanly', async (t) => {
    await withVm({ name: 'boot-live', netdevs: NET, append: APPEND }, async (vm) => {
      await t.test('readiness line names live mode and a k3s pid', async () => {
        const r = await ready(vm);
        assert.equal(r.mode, 'live');
        assert.ok(r.k3s > 1, `k3s pid ${r.k3s}`);
      });
      await t.test('PID 1 ran from the code cache the build trained (a rejected one only slows the boot)', () => {
        assert.match(vm.output(), /k3os init starting \(machine, code cache accepted\)/);
      });
      await t.test('system_powerdown ends in a clean poweroff and qemu exits', async () => {
        await vm.monitor('system_powerdown');
        await vm.waitFor(/k3os-init: poweroff requested \(power button \(\/dev\/input\/event\d+\)\)/);
        const m = await vm.waitFor(SHUTDOWN);
        assert.equal(m[1], 'poweroff');
        assert.deepEqual(await vm.waitExit(), { code: 0, signal: null });
      });
    });
  });

  test('disk mode on a K3OS_STATE disk; ctrl-alt-del reboots cleanly', async (t) => {
    await withVm({ name: 'boot-disk-1', disks: [disk], netdevs: NET, append: APPEND }, async (vm) => {
      await t.test('readiness line names disk mode', async () => {
        assert.equal((await ready(vm)).mode, 'disk');
      });
      await t.test('ctrl-alt-del (SIGINT to PID 1) ends in a clean reboot', async () => {
        await vm.monitor('sendkey ctrl-alt-delete');
        const m = await vm.waitFor(SHUTDOWN);
        assert.equal(m[1], 'reboot');
        // -no-reboot: a guest reboot ends qemu
        assert.deepEqual(await vm.waitExit(), { code: 0, signal: null });
      });
    });
    await t.test('the state disk was left clean and holds the log PID 1 wrote under /var', async () => {
      await e2fsckClean(disk);
      assert.notEqual(await readFromDisk(disk, LOG), '');
    });
  });

  test('second boot of the same disk keeps /var; busybox poweroff powers off cleanly', async (t) => {
    const first = await readFromDisk(disk, LOG);
    await withVm({ name: 'boot-disk-2', disks: [disk], netdevs: NET, append: `${APPEND} ${BUSYBOX_POWEROFF}` }, async (vm) => {
      assert.equal((await ready(vm)).mode, 'disk');
      await vm.waitFor(/k3os-init: poweroff requested \(signal SIGUSR2\)/);
      assert.equal((await vm.waitFor(SHUTDOWN))[1], 'poweroff');
      assert.deepEqual(await vm.waitExit(), { code: 0, signal: null });
    });
    await t.test('what the first boot wrote under /var is still there, and the second boot added to it', async () => {
      await e2fsckClean(disk);
      const second = await readFromDisk(disk, LOG);
      assert.ok(second.startsWith(first), 'log of the first boot kept');
      assert.ok(second.length > first.length, 'second boot appended');
    });
  });
});
