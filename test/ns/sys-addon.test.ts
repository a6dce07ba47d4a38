// The addon against the real kernel. Each scenario runs in its own process
// (test/ns/sys-*.run.ts): a process that starts the reaper must not use
// node:child_process, and this file does.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const node = `${repo}node_modules/.bin/node`;

function scenario(name: string): Record<string, any> {
  const out = execFileSync(node, [`${repo}test/ns/sys-reaper.run.ts`, name], { encoding: 'utf8', timeout: 120_000 });
  return JSON.parse(out);
}

test('exit statuses arrive exactly once, by pid, including a late subscriber', () => {
  const r = scenario('exits');
  assert.deepEqual(r.statuses.true, { pid: r.pids[0], code: 0, signal: null });
  assert.deepEqual(r.statuses.exit7, { pid: r.pids[1], code: 7, signal: null });
  assert.deepEqual(r.statuses.term, { pid: r.pids[2], code: null, signal: 'SIGTERM' });
  assert.deepEqual(r.counts, [1, 1, 1]);
  assert.deepEqual(r.orphanPids, [], 'spawned children are never orphans');
  assert.deepEqual(r.late, { pid: true, code: 3, signal: null });
});

test('exec and setup errors throw synchronously in the fs shape, and leave nothing behind', () => {
  const r = scenario('execErrors');
  assert.deepEqual(r.missing, {
    code: 'ENOENT', errno: -2, syscall: 'execve', path: '/nonexistent/k3os-prog',
    message: "ENOENT: no such file or directory, execve '/nonexistent/k3os-prog'",
  });
  assert.equal(r.notExecutable.code, 'EACCES');
  assert.equal(r.notExecutable.syscall, 'execve');
  assert.equal(r.notExecutable.path, true);
  assert.deepEqual({ code: r.badCwd.code, syscall: r.badCwd.syscall, path: r.badCwd.path }, {
    code: 'ENOENT', syscall: 'chdir', path: '/nonexistent/dir',
  });
  assert.deepEqual({ code: r.badFd.code, syscall: r.badFd.syscall }, { code: 'EBADF', syscall: 'dup2' });
  assert.deepEqual({ code: r.notTty.code, syscall: r.notTty.syscall }, { code: 'ENOTTY', syscall: 'ioctl' }, 'TIOCSCTTY on a pipe');
  assert.equal(r.after, 0);
  assert.equal(r.orphans, 0, 'failed children are reaped by spawn, not reported');
  assert.deepEqual(r.zombies, []);
});

test('a child starts with default signal dispositions and an empty mask', () => {
  const r = scenario('signals');
  assert.notEqual(BigInt(`0x${r.parentSigIgn}`) & (1n << 12n), 0n, 'Node ignores SIGPIPE in the parent');
  assert.equal(r.code, 0);
  assert.equal(r.child, 'SigBlk:\t0000000000000000\nSigIgn:\t0000000000000000\n');
});

test('stdio goes to the given fds', () => {
  const r = scenario('stdio');
  assert.deepEqual(r, { code: 0, output: 'out:hello\nerr:hello\n' });
});

test('spawn options: cwd, setsid, uid and gid (supplementary groups dropped)', () => {
  const r = scenario('options');
  const [, , plainSession] = r.plain.lines[0].split(' ');
  assert.equal(r.plain.code, 0);
  assert.equal(plainSession, r.parentSession, 'without setsid the child stays in our session');
  assert.deepEqual(r.plain.lines.slice(1), [...r.parentIds, '/'], 'without uid/gid the child keeps our ids');
  const [, pgrp, session] = r.dropped.lines[0].split(' ');
  assert.equal(r.dropped.code, 0);
  assert.deepEqual([Number(pgrp), Number(session)], [r.dropped.pid, r.dropped.pid], 'setsid: the child leads a new session');
  assert.deepEqual(r.dropped.lines.slice(1), ['65534', '65533', '65533', '/tmp']);
});

test('1,000 orphans are all reaped and none is left a zombie', () => {
  const r = scenario('orphans');
  assert.equal(r.code, 0);
  assert.equal(r.orphans, 1000);
  assert.equal(r.distinct, 1000);
  assert.equal(r.allExited0, true);
  assert.deepEqual(r.zombies, []);
});

test('a worker that ends with its reaper running shuts it down cleanly', () => {
  assert.deepEqual(scenario('worker'), { exitCode: 0 });
});

test('mount and umount a tmpfs in a private mount namespace; errors carry code, syscall, path', () => {
  const out = execFileSync('unshare', ['--mount', '--propagation', 'private', node, `${repo}test/ns/sys-mount.run.ts`], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  const r = JSON.parse(out);
  assert.equal(r.mounted.fstype, 'tmpfs');
  assert.ok(r.mounted.options.includes('nosuid') && r.mounted.options.includes('nodev'), r.mounted.options.join());
  assert.ok(r.mounted.super.includes('mode=750'), r.mounted.super.join());
  assert.deepEqual(r.busy, {
    code: 'EBUSY', errno: -16, syscall: 'umount2', path: r.dir,
    message: `EBUSY: device or resource busy, umount2 '${r.dir}'`,
  });
  assert.equal(r.readOnly?.code, 'EROFS', 'remount read-only took effect');
  assert.equal(r.afterUmount, null);
  assert.deepEqual([r.umountAgain.code, r.umountAgain.syscall, r.umountAgain.path], ['EINVAL', 'umount2', r.dir]);
  assert.deepEqual([r.badFs.code, r.badFs.syscall, r.badFs.path], ['ENODEV', 'mount', r.dir]);
  assert.deepEqual([r.missingTarget.code, r.missingTarget.syscall], ['ENOENT', 'mount']);
  assert.equal(r.afterLazy, null, 'a lazy umount detaches a busy mount');
});
