import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { runCommands } from '../../src/apply/commands.ts';
import { k3sArgs } from '../../src/apply/k3s-args.ts';
import { applyModules, loadOrder, parseModulesDep, parseModuleSpec } from '../../src/apply/modules.ts';
import { applyPassword, shadowWithPassword } from '../../src/apply/password.ts';
import { applyPhase } from '../../src/apply/phase.ts';
import { sha512Crypt } from '../../src/config/sha512-crypt.ts';
import { appendKeys, applySshKeys, keySourceUrl } from '../../src/apply/ssh-keys.ts';
import { applySysctls, parseSysctlConf, sysctlPath } from '../../src/apply/sysctls.ts';
import { recordingCtx, tempRoot } from './apply-helpers.ts';

const PASSWD = 'root:x:0:0:root:/root:/bin/sh\nrancher:x:1000:1000:rancher:/home/rancher:/bin/sh\n';

describe('password', () => {
  it('SHA-512 crypt matches the specification\'s test vectors', () => {
    assert.equal(sha512Crypt('Hello world!', '$6$saltstring'),
      '$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1');
    assert.equal(sha512Crypt('Hello world!', '$6$rounds=10000$saltstringsaltstring'),
      '$6$rounds=10000$saltstringsaltst$OW1/O6BYHV6BcXZu8QVeXbDWra3Oeqh0sbHbbMCVNSnCM/UrjmM0Dp8vOuZeHBy/YTBmSK6H9qs/y3RnOaw5v.');
    assert.equal(sha512Crypt('This is just a test', '$6$rounds=5000$toolongsaltstring'),
      '$6$rounds=5000$toolongsaltstrin$lQ8jolhgVRVhY4b5pZKaysCLi0QBxGoNeKQzQ3glMhwllF7oGDZxUhx1yxdYcz/e1JSbq3y6JMxxl8audkUEm0');
  });
  it('clear text is hashed with a fresh salt; a $-value is taken as the hash', async () => {
    const root = tempRoot({ '/etc/shadow': 'root:!:1::::::\nrancher:*:1:0:99999:7:::\n' });
    await applyPassword({ k3os: { password: 'secret' } }, recordingCtx(root));
    const field = readFileSync(path.join(root, '/etc/shadow'), 'utf8').split('\n')[1]!.split(':')[1]!;
    assert.match(field, /^\$6\$[./0-9A-Za-z]{16}\$[./0-9A-Za-z]{86}$/);
    assert.equal(sha512Crypt('secret', field), field);
    assert.equal(statSync(path.join(root, '/etc/shadow')).mode & 0o777, 0o640);
    await applyPassword({ k3os: { password: '$1$tYtghCfK$QHa51MS6MVAcfUKuOzNKt0' } }, recordingCtx(root));
    assert.equal(readFileSync(path.join(root, '/etc/shadow'), 'utf8'), 'root:!:1::::::\nrancher:$1$tYtghCfK$QHa51MS6MVAcfUKuOzNKt0:1:0:99999:7:::\n');
  });
  it('a missing user gets a line; a hash with ":" is refused', () => {
    assert.equal(shadowWithPassword('root:!:1::::::\n', 'rancher', '$6$a$b'), 'root:!:1::::::\nrancher:$6$a$b:1:0:99999:7:::\n');
    assert.throws(() => shadowWithPassword('', 'rancher', '$6$a:b'), /must not contain/);
  });
});

describe('ssh_authorized_keys', () => {
  it('remote sources', () => {
    assert.equal(keySourceUrl('github:ibuildthecloud'), 'https://github.com/ibuildthecloud.keys');
    assert.equal(keySourceUrl('gitlab:me'), 'https://gitlab.com/me.keys');
    assert.equal(keySourceUrl('https://example.test/k'), 'https://example.test/k');
    assert.equal(keySourceUrl('ssh-ed25519 AAAA user@host'), undefined);
  });
  it('appends, never duplicates', () => {
    assert.deepEqual(appendKeys('ssh-rsa A\n', ['ssh-rsa A', ' ssh-rsa B ', '', 'ssh-rsa B']), { text: 'ssh-rsa A\nssh-rsa B\n', added: 1 });
    assert.deepEqual(appendKeys('ssh-rsa A', ['ssh-rsa C']), { text: 'ssh-rsa A\nssh-rsa C\n', added: 1 });
  });
  it('boot writes literal keys and leaves remote ones for runtime; runtime fetches with retries', async () => {
    const root = tempRoot({ '/etc/passwd': PASSWD });
    const cfg = { ssh_authorized_keys: ['ssh-rsa LOCAL', 'github:someone'] };
    const boot = await applySshKeys(cfg, recordingCtx(root), false);
    assert.deepEqual(boot.map((o) => o.status), ['skipped', 'applied']);
    const file = path.join(root, '/home/rancher/.ssh/authorized_keys');
    assert.equal(readFileSync(file, 'utf8'), 'ssh-rsa LOCAL\n');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(statSync(path.dirname(file)).mode & 0o777, 0o700);
    let calls = 0;
    const delays: number[] = [];
    const fetch = (async (url: string) => {
      calls++;
      assert.equal(url, 'https://github.com/someone.keys');
      if (calls < 3) throw new TypeError('fetch failed');
      return new Response('ssh-ed25519 REMOTE1\nssh-rsa LOCAL\n');
    }) as typeof globalThis.fetch;
    const run = await applySshKeys(cfg, recordingCtx(root, { fetch, delay: async (ms) => { delays.push(ms); } }), true);
    assert.deepEqual(run.map((o) => o.status), ['applied']);
    assert.equal(calls, 3);
    assert.deepEqual(delays, [1000, 1000]);
    assert.equal(readFileSync(file, 'utf8'), 'ssh-rsa LOCAL\nssh-ed25519 REMOTE1\n');
  });
  it('gives up after bounded retries and reports it', async () => {
    const root = tempRoot({ '/etc/passwd': PASSWD });
    let calls = 0;
    const fetch = (async () => { calls++; throw new TypeError('fetch failed'); }) as typeof globalThis.fetch;
    const out = await applySshKeys({ ssh_authorized_keys: ['gitlab:x'] }, recordingCtx(root, { fetch, delay: async () => {} }), true);
    assert.equal(calls, 10);
    assert.equal(out[0]!.status, 'failed');
  });
});

describe('commands', () => {
  it('run in order with sh -c; the first failure stops the list', async () => {
    const ctx = recordingCtx(tempRoot(), { exits: { b: 3 } });
    const out = await runCommands(['a', 'b', 'c'], ctx);
    assert.deepEqual(ctx.rec.runs, [['sh', '-c', 'a'], ['sh', '-c', 'b']]);
    assert.deepEqual(out.map((o) => o.status), ['applied', 'failed']);
    assert.match(out[1]!.error!.message, /`b` failed: exit code 3; 1 later command/);
  });
});

describe('modules', () => {
  const DEP = 'kernel/drivers/net/virtio_net.ko: kernel/net/core/failover.ko kernel/drivers/net/net_failover.ko\nkernel/net/core/failover.ko:\nkernel/drivers/net/net_failover.ko: kernel/net/core/failover.ko\nkernel/drivers/net/bonding/bonding.ko: kernel/net/tls/tls.ko\nkernel/net/tls/tls.ko:\nkernel/x/zz.ko.xz:\n';
  it('parses specs and dependency order', () => {
    assert.deepEqual(parseModuleSpec('bonding mode=4 miimon=100'), { name: 'bonding', params: 'mode=4 miimon=100' });
    assert.deepEqual(loadOrder('virtio-net', parseModulesDep(DEP)), ['kernel/drivers/net/net_failover.ko', 'kernel/net/core/failover.ko', 'kernel/drivers/net/virtio_net.ko']);
  });
  it('loads with parameters, skips loaded ones, reports unknown ones', async () => {
    const proc = tempRoot({ '/modules': 'tls 16384 0 - Live 0x0\nfailover 1 0 - Live 0x0\n' });
    const root = tempRoot({ '/lib/modules/6.1.0-test/modules.dep': DEP });
    const ctx = recordingCtx(root, { procDir: proc, kernelRelease: '6.1.0-test' });
    const out = await applyModules({ k3os: { modules: ['bonding mode=4', 'failover', 'virtio_net', 'nope', 'zz'] } }, ctx);
    assert.deepEqual(out.map((o) => o.status), ['applied', 'skipped', 'applied', 'failed', 'failed']);
    const mod = (p: string) => path.join(root, '/lib/modules/6.1.0-test', p);
    assert.deepEqual(ctx.rec.modules, [
      [mod('kernel/drivers/net/bonding/bonding.ko'), 'mode=4'],
      [mod('kernel/drivers/net/net_failover.ko'), ''],
      [mod('kernel/drivers/net/virtio_net.ko'), ''],
    ]);
    assert.match(out[3]!.error!.message, /not found in modules.dep/);
    assert.match(out[4]!.error!.message, /compressed/);
  });
});

describe('sysctls', () => {
  it('paths and sysctl.conf parsing', () => {
    assert.equal(sysctlPath('net.ipv4.ip_forward'), 'net/ipv4/ip_forward');
    assert.equal(sysctlPath('net/ipv4/conf/eth0.100/forwarding'), 'net/ipv4/conf/eth0.100/forwarding');
    assert.throws(() => sysctlPath('../../etc/passwd'));
    assert.deepEqual(parseSysctlConf('# c\n; c\na.b = 1\n-c.d=2 3\n\n'), [['a.b', '1'], ['c.d', '2 3']]);
  });
  it('defaults from /etc/sysctl.d, then config (which wins); missing default keys are skipped', async () => {
    const proc = tempRoot({ '/sys/net/ipv4/ip_forward': '0', '/sys/kernel/printk': '7 4 1 7', '/sys/vm/swappiness': '60' });
    const root = tempRoot({ '/etc/sysctl.d/00-k3os.conf': 'net.ipv4.ip_forward = 1\nvm.swappiness = 1\nno.such.key = 1\n' });
    const out = await applySysctls({ k3os: { sysctls: { 'vm.swappiness': '10', 'bad.key': '1' }, console_log_level: 3 } }, recordingCtx(root, { procDir: proc }));
    assert.deepEqual(out.map((o) => o.status), ['applied', 'applied', 'skipped', 'applied', 'failed', 'applied']);
    assert.equal(readFileSync(path.join(proc, '/sys/net/ipv4/ip_forward'), 'utf8'), '1');
    assert.equal(readFileSync(path.join(proc, '/sys/vm/swappiness'), 'utf8'), '10');
    assert.equal(readFileSync(path.join(proc, '/sys/kernel/printk'), 'utf8'), '3');
  });
});

describe('applyPhase', () => {
  it('runs every step even when some fail, and collects all errors', async () => {
    const root = tempRoot();
    const ctx = recordingCtx(root, { procDir: tempRoot(), exits: { fails: 1 } });
    const rep = await applyPhase('initrd', {
      hostname: 'n1',
      k3os: { modules: ['x'], sysctls: { 'no.such': '1' }, environment: { A: '1' } },
      write_files: [{ path: '/w', content: 'w' }],
      init_cmd: ['fails', 'never'],
      boot_cmd: ['not-in-initrd'],
    }, ctx);
    assert.deepEqual(rep.entries.map((e) => `${e.step}:${e.status}`), [
      'modules:failed', 'sysctls:failed', 'hostname:applied', 'write_files:applied', 'environment:applied', 'init_cmd:failed',
    ]);
    assert.equal(rep.errors.length, 3);
    assert.deepEqual(ctx.rec.runs, [['sh', '-c', 'fails']]);
    assert.equal(readFileSync(path.join(root, '/w'), 'utf8'), 'w');
  });
  it('each phase runs its own command list', async () => {
    const cfg = { init_cmd: ['i'], boot_cmd: ['b'], run_cmd: ['r'] };
    for (const [phase, cmd] of [['initrd', 'i'], ['boot', 'b'], ['runtime', 'r']] as const) {
      const ctx = recordingCtx(tempRoot());
      await applyPhase(phase, cfg, ctx);
      assert.deepEqual(ctx.rec.runs, [['sh', '-c', cmd]]);
    }
  });
});

describe('k3sArgs', () => {
  it('server by default, with labels, taints and environment', () => {
    assert.deepEqual(k3sArgs({ k3os: { labels: { b: '2', a: '1' }, taints: ['t=v:NoSchedule'], environment: { HTTP_PROXY: 'p' }, token: 'secret' } }, 'disk'), {
      argv: ['server', '--node-label', 'a=1', '--node-label', 'b=2', '--node-label', 'k3os.io/mode=disk', '--node-taint', 't=v:NoSchedule'],
      env: { HTTP_PROXY: 'p', K3S_TOKEN: 'secret' },
    });
  });
  it('agent when server_url is set; K3S_URL in the environment', () => {
    assert.deepEqual(k3sArgs({ k3os: { server_url: 'https://s:6443', token: 'K10abc::node:x' } }), {
      argv: ['agent'], env: { K3S_URL: 'https://s:6443', K3S_TOKEN: 'K10abc::node:x' },
    });
  });
  it('k3s_args starting with a subcommand are kept; flags alone get one prepended', () => {
    assert.deepEqual(k3sArgs({ k3os: { k3s_args: ['server', '--disable-agent'] } }).argv, ['server', '--disable-agent']);
    assert.deepEqual(k3sArgs({ k3os: { k3s_args: ['--disable', 'traefik'] } }).argv, ['server', '--disable', 'traefik']);
    assert.deepEqual(k3sArgs({ k3os: { k3s_args: ['--flannel-iface', 'eth1'], server_url: 'https://s' } }).argv, ['agent', '--flannel-iface', 'eth1']);
  });
});
