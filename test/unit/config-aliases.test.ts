import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../../src/config/index.ts';

const load = (text: string) => loadConfig([{ name: 'test.yaml', text }]);

// Every spelling k3OS's mapper accepted (JSON camelCase, snake_case, both
// lowercased, and the singular forms), written out by hand.
const TOP: Record<string, string[]> = {
  ssh_authorized_keys: ['sshAuthorizedKeys', 'sshauthorizedkeys', 'ssh_authorized_key', 'sshAuthorizedKey', 'sshauthorizedkey'],
  write_files: ['writeFiles', 'writefiles', 'write_file', 'writeFile', 'writefile'],
  init_cmd: ['initCmd', 'initcmd'],
  boot_cmd: ['bootCmd', 'bootcmd'],
  run_cmd: ['runCmd', 'runcmd'],
  hostname: ['hostName'.toLowerCase()],
};
const K3OS: Record<string, string[]> = {
  data_sources: ['dataSources', 'datasources', 'data_source', 'dataSource', 'datasource'],
  modules: ['module'],
  sysctls: ['sysctl'],
  ntp_servers: ['ntpServers', 'ntpservers', 'ntp_server', 'ntpServer', 'ntpserver'],
  dns_nameservers: ['dnsNameservers', 'dnsnameservers', 'dns_nameserver', 'dnsNameserver', 'dnsnameserver'],
  password: [],
  server_url: ['serverUrl', 'serverurl'],
  token: [],
  labels: ['label'],
  k3s_args: ['k3sArgs', 'k3sargs', 'k3s_arg', 'k3sArg', 'k3sarg'],
  environment: [],
  taints: ['taint'],
  fallback_mode: ['fallbackMode', 'fallbackmode'],
  console_log_level: ['consoleLogLevel', 'consoleloglevel'],
};
const INSTALL: Record<string, string[]> = {
  force_efi: ['forceEfi', 'forceefi'],
  config_url: ['configUrl', 'configurl'],
  iso_url: ['isoUrl', 'isourl'],
  power_off: ['powerOff', 'poweroff'],
  no_format: ['noFormat', 'noformat'],
};

const sample = (key: string): string => {
  if (key === 'sysctls') return '{kernel.printk: "4"}';
  if (['labels', 'environment'].includes(key)) return '{A_B: "1"}';
  if (key === 'taints') return '"key=value:NoSchedule"';
  if (['force_efi', 'power_off', 'no_format'].includes(key)) return 'true';
  if (key === 'console_log_level') return '3';
  if (key === 'write_files') return '[{path: /x, content: y}]';
  if (key === 'dns_nameservers') return '1.1.1.1';
  return '"v"';
};

describe('config aliases', () => {
  for (const [canonical, aliases] of Object.entries(TOP)) {
    for (const alias of aliases) {
      it(`${alias} -> ${canonical}`, () => {
        const r = load(`${alias}: ${sample(canonical)}\n`);
        assert.deepEqual(r.errors, []);
        assert.deepEqual(r.warnings, []);
        assert.ok(canonical in r.config, `${canonical} missing from ${JSON.stringify(r.config)}`);
      });
    }
  }
  for (const [canonical, aliases] of Object.entries(K3OS)) {
    for (const alias of [canonical, ...aliases]) {
      it(`k3os.${alias} -> k3os.${canonical}`, () => {
        const r = load(`k3os:\n  ${alias}: ${sample(canonical)}\n`);
        assert.deepEqual(r.errors, []);
        assert.deepEqual(r.warnings, []);
        assert.ok(r.config.k3os && canonical in r.config.k3os, JSON.stringify(r.config));
      });
    }
  }
  for (const [canonical, aliases] of Object.entries(INSTALL)) {
    for (const alias of aliases) {
      it(`k3os.install.${alias} -> ${canonical}`, () => {
        const r = load(`k3os:\n  install:\n    ${alias}: ${sample(canonical)}\n`);
        assert.deepEqual(r.errors, []);
        assert.equal((r.config.k3os?.install as Record<string, unknown>)[canonical], true === (sample(canonical) === 'true') ? true : 'v');
      });
    }
  }
  it('write_files item keys and wifi ssid', () => {
    const r = load('k3os:\n  wifi:\n  - ssid: home\n    passphrase: p\n');
    assert.deepEqual(r.config.k3os?.wifi, [{ name: 'home', passphrase: 'p' }]);
  });
  it('a map value that is a map key is not aliased (labels keep their keys)', () => {
    const r = load('k3os:\n  labels:\n    taint: x\n    sysctl: y\n');
    assert.deepEqual(r.config.k3os?.labels, { taint: 'x', sysctl: 'y' });
  });
  it('alias and canonical in one map: warning, later wins', () => {
    const r = load('k3os:\n  sysctl: {vm.a: "1"}\n  sysctls: {vm.b: "2"}\n');
    assert.deepEqual(r.config.k3os?.sysctls, { 'vm.b': '2' });
    assert.equal(r.warnings[0]?.code, 'K3OS_DUPLICATE_KEY');
    assert.equal(r.warnings[0]?.line, 3);
  });
  it('upper case is not a k3OS spelling: unknown key with a suggestion', () => {
    const r = load('HOSTNAME: x\n');
    assert.equal(r.config.hostname, undefined);
    assert.match(r.warnings[0]!.message, /did you mean "hostname"/);
  });
});
