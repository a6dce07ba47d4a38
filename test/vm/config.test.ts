// Issue 4 in the booted image: a config on the state disk and on the kernel command line is
// applied for real. One boot; a script run by PID 1 (run_cmd, as root) checks from inside the
// guest and ends qemu with its verdict through isa-debug-exit (test/vm/guest.ts).
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { stringify } from 'yaml';
import { INITRD, makeStateDisk, withVm } from './harness.ts';
import { checksFrom, putOnDisk, SLIRP_GATEWAY_APPEND, VERDICT_APPEND, verdictConfig, verdictScript } from './guest.ts';

const CONFIG = '/var/lib/rancher/k3os/config.yaml';

// The stand-in runs as `node /usr/lib/k3os/k3s-standin.mjs server ...`: its environ and argv are
// k3s's. busybox here has no pgrep, so /proc is searched.
const K3S = 'pid=$(grep -l "k3s-standin[.]mjs" /proc/[0-9]*/cmdline 2>/dev/null | head -n 1 | cut -d/ -f3); [ -n "$pid" ] &&';
const checks = [
  ['hostname', '[ "$(hostname)" = cfg-node-1 ] && grep -q cfg-node-1 /etc/hostname'],
  ['sysctl-from-cmdline', '[ "$(cat /proc/sys/vm/swappiness)" = 13 ]'],
  ['sysctl-default-kept', '[ "$(cat /proc/sys/net/ipv4/ip_forward)" = 1 ]'],
  ['file-content', '[ "$(cat /etc/k3os-test/hello.txt)" = "hello from config" ]'],
  ['file-mode', '[ "$(stat -c %a /etc/k3os-test/hello.txt)" = 640 ]'],
  ['etc-environment', 'grep -qx \'K3S_TEST_MARK="from-disk"\' /etc/environment'],
  ['k3s-env', `${K3S} tr '\\0' '\\n' < /proc/$pid/environ | grep -qx K3S_TEST_MARK=from-disk`],
  ['k3s-args', `${K3S} tr '\\0' ' ' < /proc/$pid/cmdline | grep -q -- '--node-label cfg=yes'`],
  ['k3s-node-ip', `${K3S} tr '\\0' ' ' < /proc/$pid/cmdline | grep -q -- '--node-ip 10.0.2.15'`],
] as const;

describe('config applied at boot', { skip: !existsSync(INITRD) && 'no image: run make image' }, () => {
  let dir = '';
  let disk = '';
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'k3os-config-test-'));
    disk = join(dir, 'state.img');
    await makeStateDisk(disk, 256);
    const { write_files, run_cmd } = verdictConfig(verdictScript(checks));
    putOnDisk(disk, {
      [CONFIG]: stringify({
        hostname: 'cfg-node-1',
        write_files: [{ path: '/etc/k3os-test/hello.txt', content: 'hello from config\n', permissions: '0640' }, ...write_files],
        run_cmd,
        k3os: { environment: { K3S_TEST_MARK: 'from-disk' }, labels: { cfg: 'yes' } },
      }),
    }, dir);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('hostname, sysctl, file with mode, k3s environment and arguments, seen inside the guest', async () => {
    await withVm({
      name: 'config', disks: [disk], netdevs: ['user,restrict=on'],
      append: `${VERDICT_APPEND} ${SLIRP_GATEWAY_APPEND} k3os.sysctls[vm.swappiness]=13`,
    }, async (vm) => {
      await vm.waitFor(/k3os-init: ready in \d+ ms \(mode=disk /);
      await vm.waitFor(/verdict: done failures=\d+/);
      const exit = await vm.waitExit();
      const seen = checksFrom(vm.output());
      assert.deepEqual(seen, Object.fromEntries(checks.map(([name]) => [name, true])), vm.output().slice(-3000));
      // isa-debug-exit: 2N+1 with N = failed checks.
      assert.deepEqual(exit, { code: 1, signal: null });
    });
  });
});
