import assert from 'node:assert/strict';
import { test } from 'node:test';
import { planShutdown, type ShutdownStep } from '../../src/init/shutdown/plan.ts';
import { parseStat, signalTargets } from '../../src/init/shutdown/processes.ts';

const short = (s: ShutdownStep) => {
  switch (s.kind) {
    case 'stopService': return `stop:${s.id}`;
    case 'stopOwner': return `owner:${s.name}`;
    case 'signalAll': return s.signal;
    case 'waitAllGone': return 'wait';
    case 'umount': return `umount${s.lazy ? '-lazy' : ''}:${s.target}`;
    case 'remountReadOnly': return `ro:${s.target}`;
    case 'sync': return 'sync';
    case 'power': return `power:${s.action}`;
  }
};

const services = [
  { id: 'k3s', stopTimeoutMs: 20_000 }, { id: 'agent', stopTimeoutMs: 5_000 },
  { id: 'getty-ttyS0', stopTimeoutMs: 2_000 }, { id: 'getty-tty1', stopTimeoutMs: 2_000 },
];
const mounts = [
  { target: '/', fstype: 'rootfs' }, { target: '/proc', fstype: 'proc' }, { target: '/sys', fstype: 'sysfs' },
  { target: '/dev', fstype: 'devtmpfs' }, { target: '/run', fstype: 'tmpfs' }, { target: '/etc', fstype: 'tmpfs' },
  { target: '/run/k3os/state', fstype: 'ext4' }, { target: '/var', fstype: 'ext4' },
];

test('machine ladder: agent, k3s, the rest reversed; signals; unmount in reverse; sync; power', () => {
  assert.deepEqual(planShutdown({ runtime: 'machine', action: 'poweroff', services, mounts }).map(short), [
    'stop:agent', 'stop:k3s', 'stop:getty-tty1', 'stop:getty-ttyS0',
    'SIGTERM', 'wait', 'SIGKILL', 'wait',
    'ro:/var', 'ro:/run/k3os/state', 'umount-lazy:/etc', 'umount-lazy:/run',
    'sync', 'power:poweroff',
  ]);
});

test('every step is bounded, service stops by more than their own timeout', () => {
  const steps = planShutdown({ runtime: 'machine', action: 'reboot', services, mounts });
  for (const s of steps) if (s.kind !== 'power' && s.kind !== 'signalAll') assert.ok(s.timeoutMs > 0, short(s));
  const k3s = steps.find((s) => s.kind === 'stopService' && s.id === 'k3s');
  assert.ok(k3s && k3s.kind === 'stopService' && k3s.timeoutMs > 20_000);
});

test('a container never unmounts (its namespace goes with it); dev never signals others', () => {
  assert.deepEqual(planShutdown({ runtime: 'container', action: 'reboot', services: [], mounts }).map(short),
    ['SIGTERM', 'wait', 'SIGKILL', 'wait', 'sync', 'power:reboot']);
  assert.deepEqual(planShutdown({ runtime: 'dev', action: 'halt', services: [{ id: 'k3s', stopTimeoutMs: 1 }], mounts }).map(short),
    ['stop:k3s', 'sync', 'power:halt']);
});

test('parseStat copes with spaces and parens in comm; targets skip self, kernel threads and zombies', () => {
  assert.deepEqual(parseStat('42 (a b) c)) S 1 42 42 0 -1 4194560 0'), { ppid: 1, state: 'S', flags: 4194560 });
  const procs = [
    { pid: 1, ppid: 0, state: 'S', kernelThread: false }, { pid: 2, ppid: 0, state: 'S', kernelThread: true },
    { pid: 10, ppid: 1, state: 'S', kernelThread: false }, { pid: 11, ppid: 1, state: 'Z', kernelThread: false },
    { pid: 12, ppid: 10, state: 'R', kernelThread: false }, { pid: 99, ppid: 1, state: 'S', kernelThread: false },
  ];
  assert.deepEqual(signalTargets(procs, 99), [10, 12]);
});

test('owners (network, power button) stop after the services and before the signals', () => {
  const steps = planShutdown({ runtime: 'container', action: 'poweroff', services: services.slice(0, 1), mounts, owners: ['network', 'power-button'] });
  assert.deepEqual(steps.map(short), ['stop:k3s', 'owner:network', 'owner:power-button', 'SIGTERM', 'wait', 'SIGKILL', 'wait', 'sync', 'power:poweroff']);
});
