import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../../src/config/index.ts';

const load = (text: string) => loadConfig([{ name: 'c.yaml', text }]);

describe('config coercion', () => {
  it('a string where a list is expected becomes a one-item list', () => {
    const r = load('ssh_authorized_keys: ssh-rsa AAA\nrun_cmd: echo hi\nk3os:\n  datasource: aws\n  k3s_args: server\n  dns_nameservers: 1.1.1.1\n  ntp_servers: pool.ntp.org\n  modules: kvm\n  taints: a=b:NoSchedule\n');
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.config.ssh_authorized_keys, ['ssh-rsa AAA']);
    assert.deepEqual(r.config.run_cmd, ['echo hi']);
    assert.deepEqual(r.config.k3os?.data_sources, ['aws']);
    assert.deepEqual(r.config.k3os?.k3s_args, ['server']);
    assert.deepEqual(r.config.k3os?.dns_nameservers, ['1.1.1.1']);
    assert.deepEqual(r.config.k3os?.ntp_servers, ['pool.ntp.org']);
    assert.deepEqual(r.config.k3os?.modules, ['kvm']);
    assert.deepEqual(r.config.k3os?.taints, ['a=b:NoSchedule']);
  });
  it('map values become strings spelled as written', () => {
    const r = load('k3os:\n  sysctl:\n    kernel.kptr_restrict: 1\n    vm.x: 1.50\n    a.b: yes\n    kernel.printk: 4 4 1 7\n  labels:\n    n: 0x10\n    empty:\n  environment:\n    FLAG: true\n');
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.config.k3os?.sysctls, { 'kernel.kptr_restrict': '1', 'vm.x': '1.50', 'a.b': 'yes', 'kernel.printk': '4 4 1 7' });
    assert.deepEqual(r.config.k3os?.labels, { n: '0x10', empty: '' });
    assert.deepEqual(r.config.k3os?.environment, { FLAG: 'true' });
  });
  it('scalars in string lists and string keys become strings', () => {
    const r = load('hostname: 1234\nk3os:\n  k3s_args: [server, --https-listen-port, 6443]\n  token: 0123\n');
    assert.equal(r.config.hostname, '1234');
    assert.deepEqual(r.config.k3os?.k3s_args, ['server', '--https-listen-port', '6443']);
    assert.equal(r.config.k3os?.token, '0123');
  });
  it('write_files permissions keep their octal spelling (YAML 1.1 reads 0644 as a number)', () => {
    const r = load('write_files:\n- path: /a\n  permissions: 0755\n- path: /b\n  permissions: "0600"\n');
    assert.deepEqual(r.config.write_files?.map((f) => f.permissions), ['0755', '0600']);
  });
  it('booleans: YAML booleans, "true"/"false" strings; other strings are errors', () => {
    const ok = load('k3os:\n  install:\n    silent: yes\n    power_off: "false"\n');
    assert.deepEqual(ok.config.k3os?.install, { silent: true, power_off: false });
    const bad = load('k3os:\n  install:\n    silent: maybe\n');
    assert.equal(bad.errors[0]?.path, 'k3os.install.silent');
    assert.match(bad.errors[0]!.message, /expected a boolean/);
  });
  it('null values mean "not set"; null list items are dropped with a warning', () => {
    const r = load('hostname:\nk3os:\n  labels:\n  data_sources:\nssh_authorized_keys:\n- \n- ssh-ed25519 AAA\n');
    assert.deepEqual(r.errors, []);
    assert.equal(r.config.hostname, undefined);
    assert.equal(r.config.k3os?.labels, undefined);
    assert.deepEqual(r.config.ssh_authorized_keys, ['ssh-ed25519 AAA']);
    assert.equal(r.warnings[0]?.code, 'K3OS_NULL_ITEM');
  });
  it('!!binary content becomes base64 with encoding b64', () => {
    const r = load('write_files:\n- path: /bin/x\n  content: !!binary |\n    aGVsbG8=\n');
    assert.deepEqual(r.config.write_files, [{ path: '/bin/x', content: 'aGVsbG8=', encoding: 'b64' }]);
  });
  it('a mapping where a list of strings is expected is an error naming both', () => {
    const r = load('k3os:\n  modules:\n    a: b\n');
    assert.equal(r.errors[0]?.message, 'expected a list of strings, got a map');
    assert.equal(r.errors[0]?.line, 3);
  });
  it('numbers: mtu from a string (command line) or a number', () => {
    const r = loadConfig([{ kind: 'cmdline', text: 'k3os.network.interfaces.eth0.mtu=1400 k3os.console_log_level=4' }]);
    assert.deepEqual(r.errors, []);
    assert.equal(r.config.k3os?.network?.interfaces?.eth0?.mtu, 1400);
    assert.equal(r.config.k3os?.console_log_level, 4);
  });
});
