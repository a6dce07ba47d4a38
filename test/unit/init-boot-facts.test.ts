import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readBootCmdline } from '../../src/init/cmdline.ts';
import { decideMode } from '../../src/init/mode.ts';
import { detectRuntime, INITIAL_PID_NS_INODE, parseNsInode } from '../../src/init/runtime.ts';
import { redactArgv, redactCmdline, redactEnv } from '../../src/init/log/redact.ts';

test('init reads its few words from the command line', () => {
  const text = 'console=tty1 console=ttyS0,115200 k3os.mode=disk k3os_test.fail_stage=network quiet -- init-arg k3os.mode=live';
  const c = readBootCmdline(text);
  assert.deepEqual({ ...c, consoles: c.consoles.map((d) => d.name) }, { text, mode: 'disk', failStage: 'network', consoles: ['tty1', 'ttyS0'] });
  assert.equal(readBootCmdline('rescue').mode, 'recovery');
  assert.equal(readBootCmdline('rescue k3os.mode=live').mode, 'live');
  assert.equal(readBootCmdline('k3os.console_log_level="de bug"').consoleLogLevel, 'de bug');
});

test('mode: explicit wins, aliases map to recovery, state decides disk or live', () => {
  assert.equal(decideMode({ runtime: 'machine', hasState: true }), 'disk');
  assert.equal(decideMode({ runtime: 'machine', hasState: false }), 'live');
  assert.equal(decideMode({ runtime: 'machine', requested: 'shell', hasState: true }), 'recovery');
  assert.equal(decideMode({ runtime: 'machine', requested: 'rescue', hasState: false }), 'recovery');
  assert.equal(decideMode({ runtime: 'machine', requested: 'live', hasState: true }), 'live');
  assert.throws(() => decideMode({ runtime: 'machine', requested: 'disk', hasState: false }), /no K3OS_STATE/);
  assert.throws(() => decideMode({ runtime: 'machine', requested: 'bogus', hasState: false }), /unknown mode/);
});

test('runtime rule: not PID 1 refuses unless dev; env, then the pid namespace inode', () => {
  assert.ok('refuse' in detectRuntime({ pid: 42, pidNsInode: 5, env: {} }));
  assert.deepEqual((detectRuntime({ pid: 42, pidNsInode: 5, env: { K3OS_INIT_DEV: '1' } }) as { runtime: string }).runtime, 'dev');
  const rt = (pidNsInode: number | null, env = {}) => (detectRuntime({ pid: 1, pidNsInode, env }) as { runtime: string }).runtime;
  // unknown namespace: the safe side (a chroot must not set the host's hostname and sysctls)
  assert.equal(rt(null), 'container');
  assert.equal(rt(INITIAL_PID_NS_INODE), 'machine');
  assert.equal(rt(4026532178), 'container');
  assert.equal(rt(INITIAL_PID_NS_INODE, { container: 'docker' }), 'container');
  assert.equal(parseNsInode('pid:[4026531836]'), INITIAL_PID_NS_INODE);
  assert.equal(parseNsInode('garbage'), null);
});

test('the command line init.log keeps has no secrets', () => {
  assert.equal(redactCmdline('console=ttyS0 k3os.password=hunter2 k3os.token=K10abc::server:s k3os.wifi[0].passphrase="a b" quiet'),
    'console=ttyS0 k3os.password=[redacted] k3os.token=[redacted] k3os.wifi[0].passphrase=[redacted] quiet');
});

test('secrets are redacted from argv and env', () => {
  assert.deepEqual(redactArgv(['k3s', 'agent', '--token', 's3cret', '--token=abc', '--node-label', 'a=b']),
    ['k3s', 'agent', '--token', '[redacted]', '--token=[redacted]', '--node-label', 'a=b']);
  assert.deepEqual(redactEnv({ K3S_TOKEN: 'x', K3S_URL: 'https://s:6443', AWS_SECRET: 'y' }),
    { K3S_TOKEN: '[redacted]', K3S_URL: 'https://s:6443', AWS_SECRET: '[redacted]' });
});
