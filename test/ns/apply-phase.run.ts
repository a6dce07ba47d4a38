// Runs inside `unshare --mount --uts --net` (see apply-phase.test.ts): applies
// the boot phase for real, with the addon's Sys and a runner built on
// sys.spawn + the reaper as PID 1 does, against a temp root; prints what it
// observed as JSON.
//   node test/ns/apply-phase.run.ts
import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load.ts';
import { applyPhase } from '../../src/apply/phase.ts';
import { createLinuxSys } from '../../src/sys/linux.ts';
import type { ExitStatus } from '../../src/sys/types.ts';

const sys = createLinuxSys();
sys.reaper.start();
const root = mkdtempSync(join(tmpdir(), 'k3os-ns-apply-'));
mkdirSync(join(root, 'etc'));
writeFileSync(join(root, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\nrancher:x:1000:1000:rancher:/home/rancher:/bin/sh\n');
writeFileSync(join(root, 'etc/group'), 'root:x:0:\nrancher:x:1000:\n');
writeFileSync(join(root, 'etc/shadow'), 'root:!:1::::::\nrancher:*:1:0:99999:7:::\n');

const { config, errors } = loadConfig([{ name: 'ns-config.yaml', text: `
hostname: ns-node-1
write_files:
- path: /etc/k3os-test/secret.conf
  content: c2VjcmV0Cg==
  encoding: b64
  owner: rancher:rancher
  permissions: "0640"
boot_cmd:
- echo "$K3OS_TEST_MARK" booted > ${root}/boot-cmd.out
k3os:
  sysctls:
    net.ipv4.ip_forward: 1
  environment:
    K3OS_TEST_ENV: from-config
  password: rancher
` }]);

const run = (argv: readonly string[]): Promise<ExitStatus> => {
  const pid = sys.spawn({ file: '/bin/sh', argv, env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', K3OS_TEST_MARK: 'spawned' } });
  return new Promise((resolve) => sys.reaper.onExit(pid, resolve));
};
const quiet = () => {};
const report = await applyPhase('boot', config, { sys, root, run, log: { info: quiet, warn: quiet, error: quiet, debug: quiet } });
const file = statSync(join(root, 'etc/k3os-test/secret.conf'));
process.stdout.write(JSON.stringify({
  loadErrors: errors.length,
  phaseErrors: report.errors.map((e) => e.message),
  entries: report.entries.map((e) => `${e.step}:${e.status}`),
  hostname: hostname(),
  etcHostname: readFileSync(join(root, 'etc/hostname'), 'utf8'),
  ipForward: readFileSync('/proc/sys/net/ipv4/ip_forward', 'utf8').trim(),
  file: { mode: file.mode & 0o7777, uid: file.uid, gid: file.gid, content: readFileSync(join(root, 'etc/k3os-test/secret.conf'), 'utf8') },
  environment: readFileSync(join(root, 'etc/environment'), 'utf8'),
  bootCmd: readFileSync(join(root, 'boot-cmd.out'), 'utf8'),
  shadow: readFileSync(join(root, 'etc/shadow'), 'utf8').split('\n')[1],
}));
process.exit(0);
