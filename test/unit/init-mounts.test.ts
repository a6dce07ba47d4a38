import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseMounts, pendingMounts, planMounts, planRoot } from '../../src/init/mounts.ts';

const targets = (p: ReturnType<typeof planMounts>) => p.map((m) => `${m.spec.fstype || 'bind'}:${m.spec.target}`);

test('a machine mounts the API filesystems, parents before children', () => {
  assert.deepEqual(targets(planMounts('machine')), [
    'proc:/proc', 'sysfs:/sys', 'devtmpfs:/dev', 'devpts:/dev/pts', 'tmpfs:/dev/shm', 'mqueue:/dev/mqueue',
    'tmpfs:/run', 'tmpfs:/tmp', 'cgroup2:/sys/fs/cgroup', 'securityfs:/sys/kernel/security', 'bpf:/sys/fs/bpf',
  ]);
  const optional = planMounts('machine').filter((m) => m.optional).map((m) => m.spec.target);
  assert.deepEqual(optional, ['/dev/mqueue', '/sys/fs/cgroup', '/sys/kernel/security', '/sys/fs/bpf']);
});

test('a container keeps host devices and sysfs, gets its own proc and private tmpfs', () => {
  assert.deepEqual(targets(planMounts('container')), ['bind:/', 'proc:/proc', 'tmpfs:/dev/shm', 'tmpfs:/run', 'tmpfs:/tmp']);
  assert.deepEqual(planMounts('container')[0]?.spec.flags, ['rec', 'private']);
  assert.deepEqual(planMounts('dev'), []);
});

test('already-mounted targets with the same fstype are skipped on a machine only', () => {
  const mounted = [{ target: '/dev', fstype: 'devtmpfs' }, { target: '/proc', fstype: 'proc' }, { target: '/run', fstype: 'ramfs' }];
  const left = pendingMounts(planMounts('machine'), mounted, 'machine').map((m) => m.spec.target);
  assert.ok(!left.includes('/dev') && !left.includes('/proc'));
  assert.ok(left.includes('/run'), 'a different fstype on /run is not ours: mount over it');
  assert.equal(pendingMounts(planMounts('container'), mounted, 'container').length, planMounts('container').length);
});

test('root on a state device: /usr read-only, /etc tmpfs, persistent dirs bound from the state mount', () => {
  const plan = planRoot({ runtime: 'machine', mode: 'disk', source: { kind: 'device', device: '/dev/vdb', fstype: 'ext4' }, etcSeed: '/usr/share/k3os/etc' });
  assert.deepEqual(plan.mounts.map((m) => [m.spec.source, m.spec.target, m.spec.fstype, m.spec.flags.join(',')]), [
    ['/usr', '/usr', '', 'bind,rec'],
    ['/usr', '/usr', '', 'remount,bind,rdonly,nodev'],
    ['tmpfs', '/etc', 'tmpfs', 'nosuid,nodev'],
    ['/dev/vdb', '/run/k3os/state', 'ext4', 'relatime'],
    ['/run/k3os/state/var', '/var', '', 'bind'],
    ['/run/k3os/state/home', '/home', '', 'bind'],
    ['/run/k3os/state/opt', '/opt', '', 'bind'],
    ['/run/k3os/state/usr-local', '/usr/local', '', 'bind'],
  ]);
  assert.equal(plan.etc.seed, '/usr/share/k3os/etc');
  assert.deepEqual(plan.privateDirs, ['/run/k3os', '/run/k3os/state'], 'the control socket, userdata and the state tree are root-only');
});

test('live mode: every persistent dir is a tmpfs', () => {
  const plan = planRoot({ runtime: 'machine', mode: 'live', source: { kind: 'tmpfs' }, etcSeed: '/seed' });
  assert.deepEqual(plan.mounts.slice(3).map((m) => `${m.spec.fstype}:${m.spec.target}`), ['tmpfs:/var', 'tmpfs:/home', 'tmpfs:/opt', 'tmpfs:/usr/local']);
  assert.ok(plan.mounts.every((m) => !m.spec.flags.includes('bind') || m.spec.source === '/usr'), 'nothing is bound from a state root');
  assert.deepEqual(plan.privateDirs, ['/run/k3os']);
});

test('a container without an /etc seed overlays the host /etc on a tmpfs; with a state dir binds it', () => {
  const plan = planRoot({ runtime: 'container', mode: 'disk', source: { kind: 'dir', dir: '/s' }, etcSeed: null });
  const etc = plan.mounts.find((m) => m.spec.target === '/etc');
  assert.equal(etc?.spec.fstype, 'overlay');
  assert.match(etc?.spec.data ?? '', /lowerdir=\/etc,upperdir=\/run\/k3os\/etc\/upper/);
  assert.equal(plan.etc.overlayLower, '/etc');
  assert.deepEqual(plan.mounts.filter((m) => m.spec.source.startsWith('/s/')).map((m) => m.spec.source), ['/s/var', '/s/home', '/s/opt', '/s/usr-local']);
  assert.ok(plan.mounts.some((m) => m.spec.source === '/s/var' && m.spec.target === '/var'));
});

test('parseMounts unescapes octal sequences', () => {
  assert.deepEqual(parseMounts('/dev/vda /mnt/a\\040b ext4 rw 0 0\nproc /proc proc rw 0 0\n'), [
    { source: '/dev/vda', target: '/mnt/a b', fstype: 'ext4', options: 'rw' },
    { source: 'proc', target: '/proc', fstype: 'proc', options: 'rw' },
  ]);
});
