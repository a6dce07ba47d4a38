import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig, parseCmdline, tokenizeCmdline } from '../../src/config/index.ts';

const cmdline = (text: string) => loadConfig([{ kind: 'cmdline', text }]);

describe('kernel command line', () => {
  it('tokenizes with double quotes anywhere in a token', () => {
    assert.deepEqual(tokenizeCmdline(' a=1  "b=x y" c="p q"\tk3os.x=""\n'), ['a=1', 'b=x y', 'c=p q', 'k3os.x=']);
  });
  it('dots build nested keys; non-config tokens are ignored', () => {
    assert.deepEqual(parseCmdline('console=ttyS0 panic=-1 rdinit=/init k3os.token=T k3os.install.device=/dev/vda'), {
      k3os: { token: 'T', install: { device: '/dev/vda' } },
    });
  });
  it('a bare key means "true"', () => {
    const r = cmdline('k3os.install.silent k3os.debug');
    assert.deepEqual(r.config.k3os, { install: { silent: true }, debug: true });
  });
  it('a repeated key builds a list (singular spelling as in the README)', () => {
    const r = cmdline('k3os.dns_nameserver=1.1.1.1 k3os.dns_nameserver=8.8.8.8 k3os.dns_nameserver=9.9.9.9');
    assert.deepEqual(r.config.k3os?.dns_nameservers, ['1.1.1.1', '8.8.8.8', '9.9.9.9']);
  });
  it('a single value for a list key is a one-item list', () => {
    assert.deepEqual(cmdline('k3os.modules=kvm').config.k3os?.modules, ['kvm']);
  });
  it('map entries: key[sub]=value with a quoted value, and dotted keys after a map', () => {
    const r = cmdline('k3os.sysctl[kernel.printk]="4 4 1 7" k3os.sysctls.vm.swappiness=10 k3os.labels[topology.kubernetes.io/zone]=z1 k3os.environment[HTTP_PROXY]=http://p:3128');
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.config.k3os?.sysctls, { 'kernel.printk': '4 4 1 7', 'vm.swappiness': '10' });
    assert.deepEqual(r.config.k3os?.labels, { 'topology.kubernetes.io/zone': 'z1' });
    assert.deepEqual(r.config.k3os?.environment, { HTTP_PROXY: 'http://p:3128' });
  });
  it('top-level keys work too, and an "=" inside the value is kept', () => {
    const r = cmdline('hostname=node-1 k3os.k3s_args=--node-ip=10.0.0.5');
    assert.equal(r.config.hostname, 'node-1');
    assert.deepEqual(r.config.k3os?.k3s_args, ['--node-ip=10.0.0.5']);
  });
  it('unknown k3os keys warn with the source "kernel command line"; mistyped values are errors', () => {
    const r = cmdline('k3os.tokn=x hostname=a hostname=b');
    assert.equal(r.warnings[0]?.source, 'kernel command line');
    assert.match(r.warnings[0]!.message, /did you mean "k3os.token"/);
    assert.equal(r.errors[0]?.path, 'hostname');
    assert.match(r.errors[0]!.message, /expected a string, got a list/);
  });
  it('a key used both as a value and as a map is not a crash', () => {
    const r = cmdline('k3os=1 k3os.token=x');
    assert.equal(r.errors[0]?.path, 'k3os');
  });
});
