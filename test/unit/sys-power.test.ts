import assert from 'node:assert/strict';
import { test } from 'node:test';

import { checkHostname, rebootCmd } from '../../src/sys/power.ts';
import type { RebootCommand } from '../../src/sys/types.ts';

test('reboot commands map to LINUX_REBOOT_CMD_ numbers', () => {
  assert.equal(rebootCmd('restart'), 0x01234567);
  assert.equal(rebootCmd('poweroff'), 0x4321fedc);
  assert.equal(rebootCmd('halt'), 0xcdef0123);
  assert.equal(rebootCmd('cadOn'), 0x89abcdef);
  assert.equal(rebootCmd('cadOff'), 0);
  assert.throws(() => rebootCmd('shutdown' as RebootCommand), { name: 'RangeError', message: /"shutdown".*poweroff/ });
});

test('hostnames are 1 to 64 bytes', () => {
  assert.equal(checkHostname('node-1'), 'node-1');
  assert.equal(checkHostname('a'.repeat(64)), 'a'.repeat(64));
  assert.throws(() => checkHostname(''), RangeError);
  assert.throws(() => checkHostname('a'.repeat(65)), RangeError);
  assert.throws(() => checkHostname('é'.repeat(33)), RangeError);
  assert.throws(() => checkHostname(7 as unknown as string), TypeError);
});
