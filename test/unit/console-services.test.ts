import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readBootCmdline } from '../../src/init/cmdline.ts';

const parseConsoles = (text: string) => readBootCmdline(text).consoles;
import { loginServices, recoveryServices, sanitizeReason } from '../../src/init/console/services.ts';
import { rancherPasswordField, seedAccounts, shadowPasswordField } from '../../src/init/console/accounts.ts';

test('a getty per console: serial gets -L and its baud, the VT gets 38400 and TERM=linux', () => {
  const s = loginServices(parseConsoles('console=tty1 console=ttyS0,115200n8'));
  assert.deepEqual(s.map((d) => d.id), ['getty-tty1', 'getty-ttyS0']);
  assert.deepEqual(s[0]?.argv, ['/bin/busybox', 'getty', '-l', '/bin/login', '38400', 'tty1', 'linux']);
  assert.deepEqual(s[1]?.argv, ['/bin/busybox', 'getty', '-L', '-l', '/bin/login', '115200', 'ttyS0', 'vt100']);
  assert.equal(s[1]?.env.TERM, 'vt100');
  for (const d of s) {
    assert.equal(d.restart, 'forever');
    assert.equal(d.setsid, true);
    assert.equal(d.tty, undefined, 'getty opens its terminal itself');
  }
});

test('recovery menu per console, attached to the terminal, with the reason on one line', () => {
  const s = recoveryServices(parseConsoles('console=ttyS0,115200 console=tty1'), 'boot phase 5/6 network:\n\x1b[2Jboom');
  assert.deepEqual(s.map((d) => [d.id, d.tty, d.restart]), [
    ['recovery-ttyS0', '/dev/ttyS0', 'forever'],
    ['recovery-tty1', '/dev/tty1', 'forever'],
  ]);
  assert.deepEqual(s[0]?.argv, ['/usr/bin/k3os', 'recovery', '--console', 'ttyS0', '--reason', 'boot phase 5/6 network: [2Jboom']);
  assert.equal(sanitizeReason('x'.repeat(1000)).length, 400);
});

test('rancher password field follows k3os.password and the mode', () => {
  assert.equal(rancherPasswordField('live', undefined), '');
  assert.equal(rancherPasswordField('disk', undefined), '*');
  assert.equal(rancherPasswordField('live', '$6$salt$hash'), '$6$salt$hash');
  assert.equal(rancherPasswordField('disk', '$6$salt$hash'), '$6$salt$hash');
});

test('seed accounts: root locked, rancher uid 1000 with a usable-by-keys field, in wheel', () => {
  const a = seedAccounts();
  assert.equal(shadowPasswordField(a.shadow, 'root'), '!');
  assert.equal(shadowPasswordField(a.shadow, 'rancher'), '*');
  assert.match(a.passwd, /^rancher:x:1000:1000:/m);
  assert.match(a.group, /^wheel:x:10:rancher$/m);
});
