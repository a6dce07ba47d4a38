import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createIssueUpdater, issueAddresses, parseOsRelease, renderIssue } from '../../src/init/console/issue.ts';

test('os-release: NAME and VERSION_ID, quotes and escapes removed', () => {
  assert.deepEqual(parseOsRelease('NAME="k3OS-ts"\nVERSION="0.1 \\"x\\""\nVERSION_ID=0.1.0\n# c\n'), { osName: 'k3OS-ts', version: '0.1.0' });
  assert.deepEqual(parseOsRelease("NAME='k'\nVERSION=\"v2\"\n"), { osName: 'k', version: 'v2' });
  assert.deepEqual(parseOsRelease(''), { osName: 'k3OS-ts', version: 'unknown' });
});

test('issue shows OS, version, hostname and reachable addresses, IPv4 first', () => {
  const text = renderIssue({
    osName: 'k3OS-ts', version: '0.1.0', hostname: 'node-1',
    addresses: [
      { iface: 'lo', address: '127.0.0.1/8' },
      { iface: 'eth0', address: 'fd00::5/64' },
      { iface: 'eth0', address: 'fe80::1/64' },
      { iface: 'eth0', address: '10.0.2.15/24' },
      { iface: 'wlan10', address: '192.168.1.2/24' },
    ],
  });
  assert.equal(text, 'k3OS-ts 0.1.0  node-1\n  eth0    10.0.2.15/24\n  wlan10  192.168.1.2/24\n  eth0    fd00::5/64\n\n');
});

test('issue without addresses says so; backslashes are escaped for getty', () => {
  assert.equal(renderIssue({ osName: 'k3OS', version: '1', addresses: [] }), 'k3OS 1\n  no network address yet\n\n');
  assert.match(renderIssue({ osName: 'a\\n', version: '1', addresses: [] }), /^a\\\\n 1/);
});

test('issueAddresses keeps order within a family', () => {
  assert.deepEqual(issueAddresses([{ iface: 'b', address: '::2/64' }, { iface: 'a', address: '10.0.0.2/8' }, { iface: 'c', address: '10.0.0.1/8' }]).map((a) => a.iface), ['a', 'c', 'b']);
});

test('updater writes only when the rendered text changes', () => {
  const writes: [string, string][] = [];
  const u = createIssueUpdater({ osName: 'k3OS-ts', version: '0.1.0' }, { path: '/x/issue', files: { write: (p, t) => writes.push([p, t]) } });
  assert.equal(u.addresses([{ iface: 'eth0', address: '10.0.2.15/24' }]), true);
  assert.equal(u.addresses([{ iface: 'eth0', address: '10.0.2.15/24' }]), false);
  assert.equal(u.addresses([{ iface: 'eth0', address: 'fe80::1/64' }, { iface: 'eth0', address: '10.0.2.15/24' }]), false, 'link-local does not show');
  assert.equal(u.hostname('node-2'), true);
  assert.equal(u.addresses([]), true);
  assert.deepEqual(writes.map(([p]) => p), ['/x/issue', '/x/issue', '/x/issue']);
  assert.match(writes[1]![1], /^k3OS-ts 0.1.0 {2}node-2\n {2}eth0 {2}10.0.2.15\/24/);
  assert.match(writes[2]![1], /no network address yet/);
});
