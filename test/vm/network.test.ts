// Issue 5 in the booted image: under qemu's user network with restrict=on, the guest takes its
// lease from qemu's DHCP server and reaches a service this test runs on host loopback, through
// guestfwd (10.0.2.100:8080 in the guest -> socat -> 127.0.0.1:PORT here). The checks run inside
// the guest (run_cmd, as root); the script then runs busybox `reboot`, which must end in a clean
// reboot (SIGTERM to PID 1). One boot.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { stringify } from 'yaml';
import { INITRD, makeStateDisk, withVm } from './harness.ts';
import { checksFrom, putOnDisk, SLIRP_GATEWAY_APPEND, verdictConfig, verdictScript } from './guest.ts';

const SHUTDOWN = /k3os-init: (reboot|poweroff) after clean shutdown in \d+ ms/;
const nonce = randomBytes(8).toString('hex');
const answer = `k3os-vm-test ${randomBytes(8).toString('hex')}`;

const checks = [
  // qemu's DHCP server hands out 10.0.2.15 first, with a 24-hour lease.
  ['lease-address', "ip -4 addr show dev eth0 | grep -q 'inet 10.0.2.15/24 .*dynamic'"],
  ['lease-stored', 'grep -q 10.0.2.15 /var/lib/k3os/dhcp/eth0.json'],
  ['default-route', "ip route show default | grep -q 'via 10.0.2.2 dev eth0'"],
  ['issue-shows-address', 'grep -q "eth0  10.0.2.15/24" /etc/issue'],
  // busybox-static's wget segfaults here (static glibc resolver); node's fetch is in the image anyway.
  ['host-service', `[ "$(node -e 'fetch(process.argv[1]).then((r) => r.text()).then((t) => process.stdout.write(t))' http://10.0.2.100:8080/${nonce})" = "${answer}" ]`],
] as const;

describe('network', { skip: !existsSync(INITRD) && 'no image: run make image' }, () => {
  let dir = '';
  let disk = '';
  let server: Server;
  const requests: string[] = [];
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'k3os-network-test-'));
    disk = join(dir, 'state.img');
    await makeStateDisk(disk, 256);
    putOnDisk(disk, { '/var/lib/rancher/k3os/config.yaml': stringify(verdictConfig(verdictScript(checks, 'reboot'))) }, dir);
    server = createServer((req, res) => {
      requests.push(`${req.method} ${req.url}`);
      res.end(req.url === `/${nonce}` ? answer : 'wrong path');
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  });
  after(async () => {
    await new Promise((ok) => server.close(ok));
    rmSync(dir, { recursive: true, force: true });
  });

  test('DHCP lease from qemu, a host loopback service reached through guestfwd, busybox reboot', async () => {
    const port = (server.address() as AddressInfo).port;
    const netdev = `user,restrict=on,guestfwd=tcp:10.0.2.100:8080-cmd:socat - TCP:127.0.0.1:${port}`;
    await withVm({ name: 'network', disks: [disk], netdevs: [netdev], append: SLIRP_GATEWAY_APPEND }, async (vm) => {
      const online = await vm.waitFor(/network online \(node IP ([\d.]+)\)/);
      assert.equal(online[1], '10.0.2.15');
      await vm.waitFor(/verdict: done failures=\d+/);
      assert.deepEqual(checksFrom(vm.output()), Object.fromEntries(checks.map(([name]) => [name, true])), vm.output().slice(-3000));
      assert.deepEqual(requests, [`GET /${nonce}`]);
      assert.equal((await vm.waitFor(SHUTDOWN))[1], 'reboot');
      // -no-reboot: the guest's reboot ends qemu
      assert.deepEqual(await vm.waitExit(), { code: 0, signal: null });
    });
  });
});
