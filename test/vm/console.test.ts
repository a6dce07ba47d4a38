// Consoles and recovery over the serial line: login as rancher with k3os.password, sudo,
// root refused, a failing stage, k3os.mode=recovery and a key at the boot prompt land in the
// recovery menu, and the menu's "last good config" gets a node with a broken config.d file
// back without a shell. Scenarios share boots: each one costs seconds under TCG.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { putOnDisk } from './guest.ts';
import { makeStateDisk, READY, withVm, type Vm } from './harness.ts';

const MENU = /=== k3OS-ts recovery ===/;
const PROMPT = /recovery> $/;
const SHUTDOWN = /k3os-init: (reboot|poweroff) after clean shutdown/;
const CONFIG_D = '/var/lib/rancher/k3os/config.d';

const skip = existsSync('build/initrd.img') ? false : 'no image: run make image';

function lsOnDisk(image: string, path: string): string {
  return spawnSync('debugfs', ['-R', `ls -l ${path.replace(/^\/var\//, 'var/')}`, image], { encoding: 'utf8' }).stdout;
}

async function choose(vm: Vm, text: string): Promise<void> {
  await vm.waitFor(PROMPT);
  await vm.send(`${text}\n`);
}

async function login(vm: Vm, user: string, password?: string): Promise<void> {
  await vm.waitFor(/login: $/);
  await vm.send(`${user}\n`);
  if (password !== undefined) {
    await vm.waitFor(/Password: $/);
    await vm.send(`${password}\n`);
  }
  await vm.waitFor(/\$ /);
}

describe('console', { skip }, () => {
  let dir = '';
  before(() => { dir = mkdtempSync(join(tmpdir(), 'k3os-console-test-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  // One state disk through four boots: a failing stage, k3os.mode=recovery with a broken
  // config.d file, then a normal boot where rancher logs in with the disk config's password.
  test('failing stage -> menu -> last good config; mode=recovery + broken config.d -> back without a shell; login, sudo, root refused', async () => {
    const disk = join(dir, 'state.img');
    await makeStateDisk(disk, 256);
    putOnDisk(disk, {
      '/var/lib/rancher/k3os/config.yaml': 'k3os:\n  password: sesame\n',
      [`${CONFIG_D}/90-k3osconfig.yaml`]: 'hostname: from-the-cluster\n',
      [`${CONFIG_D}/50-broken.yaml`]: 'k3os:\n  labels: [this is: not valid\n',
    }, dir);

    await withVm({ name: 'console-fail-stage', disks: [disk], append: 'k3os_test.fail_stage=network k3os.recovery_prompt=0' }, async (vm) => {
      await vm.waitFor(MENU);
      await vm.waitFor(/reason: .*network.*forced failure/);
      await choose(vm, '1');
      await vm.waitFor(/FAILED at stage network: .*forced failure/);
      await choose(vm, '3');
      await vm.waitFor(/cannot restart k3s: .*k3s is not running: boot went to recovery/);
      await choose(vm, '4');
      await vm.waitFor(/2\) 90-k3osconfig.yaml/);
      await vm.waitFor(/file to disable \[2\]: $/);
      await vm.send('\n');
      await vm.waitFor(/disable 90-k3osconfig.yaml and reboot\? \[Y\/n\] $/);
      await vm.send('y\n');
      await vm.waitFor(/moved 90-k3osconfig.yaml to/);
      assert.equal((await vm.waitFor(SHUTDOWN))[1], 'reboot');
      assert.deepEqual(await vm.waitExit(), { code: 0, signal: null });
    });
    assert.match(lsOnDisk(disk, '/var/lib/rancher/k3os/config.d.disabled'), /90-k3osconfig\.yaml\.\d{4}-/);

    await withVm({ name: 'console-mode-recovery', disks: [disk], append: 'k3os.mode=recovery' }, async (vm) => {
      await vm.waitFor(MENU);
      await choose(vm, '42');
      await vm.waitFor(/"42" is not a choice/);
      await choose(vm, '5');
      await vm.waitFor(/no previous version installed/);
      // The root shell asks for k3os.password, read from the disk although config never ran.
      await choose(vm, '6');
      await vm.waitFor(/password \(k3os.password\): $/);
      await vm.send('sesame\n');
      await vm.waitFor(/root shell: exit it/);
      await vm.send('echo "shell=$(id -u)"; exit\n');
      assert.equal((await vm.waitFor(/shell=(\d+)\r?\n/))[1], '0');
      await choose(vm, '4');
      await vm.waitFor(/1\) 50-broken.yaml/);
      await vm.waitFor(/file to disable.*: $/);
      await vm.send('1\n');
      await vm.waitFor(/\[Y\/n\] $/);
      await vm.send('\n');
      assert.equal((await vm.waitFor(SHUTDOWN))[1], 'reboot');
      assert.deepEqual(await vm.waitExit(), { code: 0, signal: null });
    });
    assert.doesNotMatch(lsOnDisk(disk, CONFIG_D), /50-broken|90-k3osconfig/);

    await withVm({ name: 'console-login', disks: [disk], append: 'k3os.recovery_prompt=0' }, async (vm) => {
      assert.equal((await vm.waitFor(READY))[2], 'disk');
      await vm.waitFor(/login: $/);
      await vm.send('root\n');
      await vm.waitFor(/Login incorrect/);
      await login(vm, 'rancher', 'sesame');
      await vm.send('echo "uid=$(id -u) host=$(hostname) tty=$(stat -c %U $(tty))"; sudo -n id -u | sed s/^/sudo=/\n');
      const m = await vm.waitFor(/uid=(\d+) host=(\S+) tty=(\S+)\r?\n/);
      assert.equal(m[1], '1000');
      assert.notEqual(m[2], 'from-the-cluster');
      assert.equal(m[3], 'rancher');
      assert.equal((await vm.waitFor(/sudo=(\d+)\r?\n/))[1], '0');
      await vm.send('sudo -n poweroff\n');
      assert.equal((await vm.waitFor(SHUTDOWN))[1], 'poweroff');
    });
  });

  test('live: a key at the boot prompt opens the menu, whose reboot works; without k3os.password rancher needs none', async () => {
    await withVm({ name: 'console-prompt' }, async (vm) => {
      await vm.waitFor(/press any key within \S+ s for the recovery menu/);
      await vm.send('x');
      await vm.waitFor(MENU);
      await vm.waitFor(/reason: recovery menu asked for at the boot prompt/);
      await choose(vm, '7');
      assert.equal((await vm.waitFor(SHUTDOWN))[1], 'reboot');
      assert.deepEqual(await vm.waitExit(), { code: 0, signal: null });
    });
    await withVm({ name: 'console-live', append: 'k3os.recovery_prompt=0' }, async (vm) => {
      assert.equal((await vm.waitFor(READY))[2], 'live');
      await vm.send('\n');
      await login(vm, 'rancher');
      await vm.send('echo "uid=$(id -u)"\n');
      assert.equal((await vm.waitFor(/uid=(\d+)\r?\n/))[1], '1000');
      await vm.monitor('system_powerdown');
      assert.equal((await vm.waitFor(SHUTDOWN))[1], 'poweroff');
    });
  });

  // ttyS1 is a console= line whose far end never reads (a fifo shrunk to one page), with a
  // getty on it; a writer on the node fills it. Boot, PID 1's supervision and its control API
  // must not care. (The kernel binds one 8250 port as its console, ttyS0 here, so this is the
  // hung login line; the console writer's own drop path is covered by its unit tests.)
  test('a console= line nobody reads blocks nothing: login elsewhere, k3s restarted, status answered, clean poweroff', async () => {
    const base = join(dir, 'hung');
    for (const end of ['in', 'out']) assert.equal(spawnSync('mkfifo', [`${base}.${end}`]).status, 0);
    const holder = spawn('python3', ['-c', HOLD_FIFO, base], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      await new Promise<void>((ok, fail) => {
        holder.stdout.once('data', () => ok());
        holder.once('exit', (code) => fail(new Error(`fifo holder exited ${code}`)));
      });
      await withVm({
        name: 'console-hung', serials: [`pipe,path=${base}`],
        append: 'k3os.recovery_prompt=0 8250.nr_uarts=2 console=ttyS1',
      }, async (vm) => {
        await login(vm, 'rancher');
        await vm.send('sudo -n sh -c "head -c 65536 /dev/zero > /dev/ttyS1 &"; sleep 2; sudo -n timeout 3 sh -c "echo x > /dev/ttyS1"; echo "hung=$?"\n');
        assert.notEqual((await vm.waitFor(/hung=(\d+)\r?\n/))[1], '0');
        // k3s killed: PID 1 logs the exit and the restart to the full console, and restarts it.
        await vm.send('sudo -n k3os status --json | grep -o \'"pid": [0-9]*\' | head -1 | sed "s/.* /old=/"\n');
        const old = (await vm.waitFor(/old=(\d+)\r?\n/))[1]!;
        await vm.send(`sudo -n kill ${old}; sleep 3; sudo -n k3os status --json | grep -o '"pid": [0-9]*' | head -1 | sed "s/.* /new=/"\n`);
        assert.notEqual((await vm.waitFor(/new=(\d+)\r?\n/))[1], old);
        await vm.monitor('system_powerdown');
        assert.deepEqual(await vm.waitExit(), { code: 0, signal: null });
      });
    } finally {
      holder.kill();
    }
  });
});

// Holds both ends of qemu's pipe chardev open (so qemu's opens never wait), shrinks the
// output fifo to one page, and never reads it.
const HOLD_FIFO = `
import fcntl, os, sys, time
out = os.open(sys.argv[1] + '.out', os.O_RDWR)
fcntl.fcntl(out, 1031, 4096)  # F_SETPIPE_SZ
inp = os.open(sys.argv[1] + '.in', os.O_RDWR)
print('ready', flush=True)
time.sleep(3600)
`;

