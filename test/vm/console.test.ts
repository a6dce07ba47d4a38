// Consoles and recovery over the serial line: login as rancher with k3os.password, root
// refused, a failing stage and k3os.mode=recovery land in the recovery menu, and the menu's
// "last good config" gets a node with a broken config.d file back without a shell.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { makeStateDisk, withVm, type Vm } from './harness.ts';

const READY = /k3os-init: ready in \d+ ms \(mode=(\w+)/;
const MENU = /=== k3OS-ts recovery ===/;
const PROMPT = /recovery> $/;
const SHUTDOWN = /k3os-init: (reboot|poweroff) after clean shutdown/;
const CONFIG_D = '/var/lib/rancher/k3os/config.d';

// The menu is only in images whose PID 1 boots with the console seam.
const INIT_BUNDLE = 'build/initrd-root/usr/lib/k3os/init.mjs';
const wired = existsSync('build/initrd.img') && existsSync(INIT_BUNDLE) && readFileSync(INIT_BUNDLE, 'utf8').includes('console (getty per console=, recovery menu)');
const skip = !existsSync('build/initrd.img') ? 'no image: run make image'
  : !wired ? 'image PID 1 does not use createConsoleSeam() yet (src/init/console/seam.ts)' : false;

/** Writes files into the state disk's /var (the disk's var/ subdirectory) with debugfs. */
function putOnDisk(image: string, files: Record<string, string>, dir: string): void {
  const cmds: string[] = [];
  const made = new Set<string>();
  for (const [path, text] of Object.entries(files)) {
    const onDisk = path.replace(/^\/var\//, 'var/');
    const parts = onDisk.split('/');
    for (let i = 1; i < parts.length; i++) {
      const d = parts.slice(0, i).join('/');
      if (!made.has(d)) { made.add(d); cmds.push(`mkdir ${d}`); }
    }
    const local = join(dir, `f${cmds.length}`);
    writeFileSync(local, text);
    cmds.push(`write ${local} ${onDisk}`);
  }
  const script = join(dir, 'debugfs.cmds');
  writeFileSync(script, `${cmds.join('\n')}\n`);
  const r = spawnSync('debugfs', ['-w', '-f', script, image], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
}

function lsOnDisk(image: string, path: string): string {
  return spawnSync('debugfs', ['-R', `ls -l ${path.replace(/^\/var\//, 'var/')}`, image], { encoding: 'utf8' }).stdout;
}

async function choose(vm: Vm, text: string): Promise<void> {
  await vm.waitFor(PROMPT);
  await vm.send(`${text}\n`);
}

describe('console', { skip }, () => {
  let dir = '';
  before(() => { dir = mkdtempSync(join(tmpdir(), 'k3os-console-test-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('rancher logs in with k3os.password and becomes root with sudo; root is refused', async () => {
    await withVm({ name: 'console-login', append: 'k3os.password=sesame k3os.recovery_prompt=0' }, async (vm) => {
      await vm.waitFor(READY);
      await vm.send('\n');
      await vm.waitFor(/login: $/);
      await vm.send('root\n');
      await vm.waitFor(/Password: $/);
      await vm.send('sesame\n');
      await vm.waitFor(/Login incorrect/);
      await vm.waitFor(/login: $/);
      await vm.send('rancher\n');
      await vm.waitFor(/Password: $/);
      await vm.send('sesame\n');
      await vm.send('echo "uid=$(id -u)"; sudo -n id -u | sed s/^/sudo=/\n');
      assert.equal((await vm.waitFor(/uid=(\d+)/))[1], '1000');
      assert.equal((await vm.waitFor(/sudo=(\d+)/))[1], '0');
      await vm.monitor('system_powerdown');
      await vm.waitFor(SHUTDOWN);
    });
  });

  test('a failing stage lands in the menu with the error; "last good config" then boots normally', async () => {
    const disk = join(dir, 'fail.img');
    await makeStateDisk(disk, 256);
    putOnDisk(disk, { [`${CONFIG_D}/90-k3osconfig.yaml`]: 'hostname: from-the-cluster\n' }, dir);
    await withVm({ name: 'console-fail-stage', disks: [disk], append: 'k3os.debug.fail_stage=network' }, async (vm) => {
      await vm.waitFor(MENU);
      await vm.waitFor(/reason: .*network/);
      await choose(vm, '4');
      await vm.waitFor(/1\) 90-k3osconfig.yaml/);
      await vm.send('1\n');
      await vm.waitFor(/and reboot\? \[Y\/n\] $/);
      await vm.send('y\n');
      await vm.waitFor(/moved 90-k3osconfig.yaml to/);
      assert.equal((await vm.waitFor(SHUTDOWN))[1], 'reboot');
    });
    assert.match(lsOnDisk(disk, '/var/lib/rancher/k3os/config.d.disabled'), /90-k3osconfig\.yaml\.\d{4}-/);
    await withVm({ name: 'console-fail-stage-after', disks: [disk], append: 'k3os.recovery_prompt=0' }, async (vm) => {
      assert.equal((await vm.waitFor(READY))[1], 'disk');
      await vm.monitor('system_powerdown');
      await vm.waitFor(SHUTDOWN);
    });
  });

  test('k3os.mode=recovery gives the menu; bad input is explained; reboot works', async () => {
    await withVm({ name: 'console-mode-recovery', append: 'k3os.mode=recovery' }, async (vm) => {
      await vm.waitFor(MENU);
      await choose(vm, '42');
      await vm.waitFor(/"42" is not a choice/);
      await choose(vm, '5');
      await vm.waitFor(/no previous version installed/);
      await choose(vm, '7');
      assert.equal((await vm.waitFor(SHUTDOWN))[1], 'reboot');
      assert.deepEqual(await vm.waitExit(), { code: 0, signal: null });
    });
  });

  test('a broken config.d file: recovery disables it and the node comes back, no shell needed', async () => {
    const disk = join(dir, 'broken.img');
    await makeStateDisk(disk, 256);
    putOnDisk(disk, { [`${CONFIG_D}/50-broken.yaml`]: 'k3os:\n  labels: [this is: not valid\n' }, dir);
    await withVm({ name: 'console-broken-config', disks: [disk], append: 'k3os.mode=recovery' }, async (vm) => {
      await vm.waitFor(MENU);
      await choose(vm, '4');
      await vm.waitFor(/1\) 50-broken.yaml/);
      await vm.waitFor(/file to disable \[1\]: $/);
      await vm.send('\n');
      await vm.waitFor(/\[Y\/n\] $/);
      await vm.send('\n');
      assert.equal((await vm.waitFor(SHUTDOWN))[1], 'reboot');
    });
    assert.doesNotMatch(lsOnDisk(disk, CONFIG_D), /50-broken/);
    await withVm({ name: 'console-broken-config-after', disks: [disk], append: 'k3os.recovery_prompt=0' }, async (vm) => {
      assert.equal((await vm.waitFor(READY))[1], 'disk');
      await vm.send('\n');
      await vm.waitFor(/login: $/);
      await vm.monitor('system_powerdown');
      await vm.waitFor(SHUTDOWN);
    });
  });
});
