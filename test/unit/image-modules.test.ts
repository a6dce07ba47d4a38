import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseLdd } from '../../scripts/image/ldd.ts';
import { closureUnder, loadOrder, moduleName, parseBuiltin, parseModulesDep } from '../../scripts/image/modules.ts';

const DEP = [
  'kernel/drivers/virtio/virtio_pci.ko: kernel/drivers/virtio/virtio_pci_modern_dev.ko kernel/drivers/virtio/virtio.ko kernel/drivers/virtio/virtio_ring.ko',
  'kernel/drivers/virtio/virtio_pci_modern_dev.ko:',
  'kernel/drivers/virtio/virtio.ko:',
  'kernel/drivers/virtio/virtio_ring.ko:',
  'kernel/drivers/net/virtio_net.ko: kernel/drivers/net/net_failover.ko kernel/net/core/failover.ko kernel/drivers/virtio/virtio.ko kernel/drivers/virtio/virtio_ring.ko',
  'kernel/drivers/net/net_failover.ko: kernel/net/core/failover.ko',
  'kernel/net/core/failover.ko:',
  'kernel/drivers/char/hw_random/virtio-rng.ko: kernel/drivers/virtio/virtio.ko kernel/drivers/virtio/virtio_ring.ko',
  'kernel/net/bridge/br_netfilter.ko: kernel/net/bridge/bridge.ko kernel/net/802/stp.ko',
  'kernel/net/bridge/bridge.ko: kernel/net/802/stp.ko',
  'kernel/net/802/stp.ko:',
  '',
].join('\n');

test('loadOrder puts every module after its dependencies, once', () => {
  const order = loadOrder(parseModulesDep(DEP), ['virtio_pci', 'virtio_net']);
  assert.equal(new Set(order).size, order.length);
  const deps = parseModulesDep(DEP);
  for (const [i, m] of order.entries()) for (const d of deps.get(m) ?? []) assert.ok(order.indexOf(d) < i, `${d} before ${m}`);
  assert.equal(order.at(-1), 'kernel/drivers/net/virtio_net.ko');
  assert.ok(order.includes('kernel/net/core/failover.ko'));
});

test('loadOrder finds dashed file names by underscore name and skips built-in modules', () => {
  const deps = parseModulesDep(DEP);
  assert.deepEqual(loadOrder(deps, ['virtio_rng']).at(-1), 'kernel/drivers/char/hw_random/virtio-rng.ko');
  assert.deepEqual(loadOrder(deps, ['virtio_pci', 'ext4'], parseBuiltin('kernel/fs/ext4/ext4.ko\nkernel/drivers/virtio/virtio_pci.ko\n')), []);
});

test('loadOrder names a module that does not exist', () => {
  assert.throws(() => loadOrder(parseModulesDep(DEP), ['nope']), /module nope: not in modules.dep/);
});

test('loadOrder reports a dependency cycle', () => {
  assert.throws(() => loadOrder(parseModulesDep('a.ko: b.ko\nb.ko: a.ko\n'), ['a']), /dependency cycle/);
});

test('closureUnder takes a directory and pulls in dependencies from elsewhere', () => {
  const got = closureUnder(parseModulesDep(DEP), ['kernel/net/bridge/']);
  assert.deepEqual(new Set(got), new Set(['kernel/net/802/stp.ko', 'kernel/net/bridge/bridge.ko', 'kernel/net/bridge/br_netfilter.ko']));
});

test('moduleName strips directories, .ko and compression suffixes', () => {
  assert.equal(moduleName('kernel/drivers/char/hw_random/virtio-rng.ko'), 'virtio_rng');
  assert.equal(moduleName('kernel/fs/overlayfs/overlay.ko.xz'), 'overlay');
});

test('parseLdd returns libraries and the loader, not the vDSO, and fails on a missing library', () => {
  const out = [
    '\tlinux-vdso.so.1 (0x00007ffd)',
    '\tlibdl.so.2 => /lib/x86_64-linux-gnu/libdl.so.2 (0x00007fa46bd24000)',
    '\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007fa46b81e000)',
    '\t/lib64/ld-linux-x86-64.so.2 (0x00007fa46bd3f000)',
    '',
  ].join('\n');
  assert.deepEqual(parseLdd(out), ['/lib/x86_64-linux-gnu/libdl.so.2', '/lib/x86_64-linux-gnu/libc.so.6', '/lib64/ld-linux-x86-64.so.2']);
  assert.throws(() => parseLdd('\tlibfoo.so.1 => not found\n'), /libfoo/);
});
