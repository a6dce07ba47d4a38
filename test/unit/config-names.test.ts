// The names a config may use, with the probes that were once accepted: sysctls named like
// Object.prototype's members, an interface named __proto__, and a kernel command line that
// wrote to Object.prototype.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadSource, parseCmdline } from '../../src/config/index.ts';
import { filePathProblem, interfaceNameProblem, labelKeyProblem, labelValueProblem, sysctlNameProblem, taintProblem } from '../../src/config/names.ts';

const issuesOf = (value: unknown) => {
  const r = loadSource({ kind: 'json', name: 'PUT /v1/config', value });
  return { config: r.config, issues: r.issues.map((i) => `${i.source}: ${i.path}: ${i.message}`) };
};

test('sysctls: real names pass; prototype names and non-names are refused with source, path and reason', () => {
  for (const n of ['kernel.printk', 'net.ipv4.conf.all.rp_filter', 'net.ipv4.conf.eth0/100.forwarding', 'fs.inotify.max_user_watches', 'net.ipv6.conf.default.disable_ipv6']) {
    assert.equal(sysctlNameProblem(n), undefined, n);
  }
  for (const n of ['constructor', 'toString', '__proto__', 'kernel', 'kernel..printk', 'net.ipv4 x', '../etc/passwd', '/proc/sys/kernel']) {
    assert.ok(sysctlNameProblem(n), n);
  }
  const { config, issues } = issuesOf(JSON.parse('{"k3os":{"sysctls":{"constructor":"1","toString":"2","__proto__":"3","vm.swappiness":"10"}}}'));
  assert.deepEqual(config?.k3os?.sysctls, { 'vm.swappiness': '10' });
  assert.deepEqual(issues, [
    'PUT /v1/config: k3os.sysctls.constructor: "constructor" cannot be a key',
    'PUT /v1/config: k3os.sysctls.toString: "toString" cannot be a key',
    'PUT /v1/config: k3os.sysctls.__proto__: "__proto__" cannot be a key',
  ]);
  assert.match(issuesOf({ k3os: { sysctls: { 'kernel printk': '1' } } }).issues[0]!, /k3os\.sysctls\["kernel printk"\]: "kernel printk" is not a sysctl name/);
});

test('interface names: Linux rules (dev_valid_name, IFNAMSIZ)', () => {
  for (const n of ['eth0', 'enp1s0', 'wlan0', 'br-lan', 'eth0.100', 'bond_0']) assert.equal(interfaceNameProblem(n), undefined, n);
  for (const n of ['__proto__', 'constructor', '', '.', '..', 'a/b', 'eth0:1', 'eth 0', 'abcdefghijklmnop', 'ethé0']) assert.ok(interfaceNameProblem(n), n);
  const { issues } = issuesOf(JSON.parse('{"k3os":{"network":{"interfaces":{"__proto__":{"dhcp":true}}}}}'));
  assert.deepEqual(issues, ['PUT /v1/config: k3os.network.interfaces.__proto__: "__proto__" cannot be a key']);
  assert.match(issuesOf({ k3os: { network: { interfaces: { 'eth0:1': {} } } } }).issues[0]!, /interfaces\["eth0:1"\]: "eth0:1" is not an interface name/);
});

test('labels and taints: Kubernetes rules', () => {
  for (const k of ['zone', 'k3os.io/mode', 'topology.kubernetes.io/zone', 'a_b.c-d']) assert.equal(labelKeyProblem(k), undefined, k);
  for (const k of ['-zone', 'zone-', 'Example.com/x', 'a/b/c', `${'x'.repeat(64)}`, `${'a'.repeat(254)}/x`, '/x']) assert.ok(labelKeyProblem(k), k);
  for (const v of ['', 'a', 'v1.2_3-x']) assert.equal(labelValueProblem(v), undefined, v);
  for (const v of ['-a', 'a b', 'x'.repeat(64)]) assert.ok(labelValueProblem(v), v);
  for (const t of ['dedicated=gpu:NoSchedule', 'node-role.kubernetes.io/master:NoExecute', 'k=:PreferNoSchedule']) assert.equal(taintProblem(t), undefined, t);
  for (const t of ['k=v', 'k=v:Sometimes', '=v:NoSchedule', 'k=v:NoSchedule:x', 'k=-v:NoSchedule']) assert.ok(taintProblem(t), t);
  const { issues } = issuesOf({ k3os: { labels: { '-bad': 'x', ok: 'also bad' }, taints: ['k=v:Never'] } });
  assert.deepEqual(issues.map((i) => i.split(': ')[1]), ['k3os.labels["-bad"]', 'k3os.labels.ok', 'k3os.taints[0]']);
});

test('write_files paths: absolute, no .., no NUL', () => {
  assert.equal(filePathProblem('/etc/k3os/x.conf'), undefined);
  for (const p of ['etc/x', '/etc/../shadow', '/a\0b', '']) assert.ok(filePathProblem(p), JSON.stringify(p));
  assert.deepEqual(issuesOf({ write_files: [{ path: '/var/../etc/shadow', content: 'x' }] }).issues,
    ['PUT /v1/config: write_files[0].path: "/var/../etc/shadow" must not contain a .. segment']);
});

test('environment names: shell names only, no prototype names', () => {
  assert.deepEqual(issuesOf({ k3os: { environment: { HTTP_PROXY: 'x', constructor: 'y', '1X': 'z' } } }).issues, [
    'PUT /v1/config: k3os.environment.constructor: "constructor" cannot be a key',
    'PUT /v1/config: k3os.environment.1X: "1X" is not an environment variable name (letters, digits and _, not first a digit)',
  ]);
});

test('the kernel command line cannot write to Object.prototype', () => {
  const parsed = parseCmdline('k3os.__proto__.polluted=1 k3os.sysctls[__proto__]=2 k3os.constructor.x=3 hostname=n1');
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.deepEqual(parsed, { hostname: 'n1' });
});
