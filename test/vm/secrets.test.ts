// Secrets given in every source a node reads them from (the kernel command
// line, the config on the state disk, a config.d file) appear in no file the
// node writes, except the ones that must hold them (the sources and
// last-good.yaml, 0600), in no answer of the control API, and not on the
// console. One boot; the guest greps its own filesystem (test/vm/guest.ts).
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { stringify } from 'yaml';
import { INITRD, makeStateDisk, withVm } from './harness.ts';
import { checksFrom, putOnDisk, SLIRP_GATEWAY_APPEND, VERDICT_APPEND, verdictConfig, verdictScript } from './guest.ts';

const SECRETS = {
  cmdlinePassword: 'Cmdline-Pass-4711',
  cmdlineToken: 'K10cmdlinetoken::server:Cmdline-Token-0815',
  wifiPassphrase: 'Wifi-Passphrase-2342',
  configDToken: 'Datastore-Secret-1337',
};
// Put on the state disk beside the config, not in it: GET /v1/config shows write_files' content.
const PATTERNS = '/var/lib/k3os-test/secret-patterns';
// Files that hold secrets by design: what the operator wrote, and the node's last good copy.
const HOLDERS = '(/var/lib/rancher/k3os/(config\\.yaml|last-good\\.yaml|config\\.d/50-secret\\.yaml)|/var/lib/k3os-test/)';
const DIRS = '/etc /run /var /home /tmp /opt /root /usr/local';
const API = (path: string) => `node -e "require('http').get({socketPath:'/run/k3os/init.sock',path:'${path}'},(r)=>r.pipe(process.stdout))"`;

const checks = [
  // A boot that applied the config: the secrets really were read.
  ['password-applied', "grep -q '^rancher:[$]6[$]' /etc/shadow"],
  // The same grep finds them where they must be: the search is not blind.
  ['grep-finds-last-good', `grep -q -F -f ${PATTERNS} /var/lib/rancher/k3os/last-good.yaml`],
  ['no-written-file-holds-a-secret',
    `! find ${DIRS} -type f 2>/dev/null | grep -v -E '${HOLDERS}' | xargs grep -l -F -f ${PATTERNS} 2>/dev/null | grep -q .`],
  ['run-k3os-and-the-state-disk-root-only', '[ "$(stat -c %a /run/k3os)" = 700 ] && [ "$(stat -c %a /run/k3os/state)" = 700 ]'],
  ['last-good-is-root-0600', '[ "$(stat -c %a:%u /var/lib/rancher/k3os/last-good.yaml)" = 600:0 ]'],
  ['init-log-has-the-redacted-cmdline', 'grep -q "k3os.password=\\[redacted\\]" /var/log/k3os/init.log'],
  ['api-status-clean', `${API('/v1/status')} > /tmp/a && grep -q hostname /tmp/a && ! grep -q -F -f ${PATTERNS} /tmp/a`],
  ['api-config-clean', `${API('/v1/config')} > /tmp/a && grep -q redacted /tmp/a && ! grep -q -F -f ${PATTERNS} /tmp/a`],
  ['api-logs-clean', `${API('/v1/logs?lines=10000')} > /tmp/a && grep -q entries /tmp/a && ! grep -q -F -f ${PATTERNS} /tmp/a`],
] as const;

describe('secrets stay out of logs, files and answers', { skip: !existsSync(INITRD) && 'no image: run make image' }, () => {
  let dir = '';
  let disk = '';
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'k3os-secrets-test-'));
    disk = join(dir, 'state.img');
    await makeStateDisk(disk, 256);
    const { write_files, run_cmd } = verdictConfig(verdictScript(checks));
    putOnDisk(disk, {
      [PATTERNS]: `${Object.values(SECRETS).join('\n')}\n`,
      '/var/lib/rancher/k3os/config.yaml': stringify({
        hostname: 'secret-node',
        write_files,
        run_cmd,
        k3os: { wifi: [{ name: 'lab', passphrase: SECRETS.wifiPassphrase }] },
      }),
      '/var/lib/rancher/k3os/config.d/50-secret.yaml': stringify({ k3os: { k3s_args: ['server', `--datastore-endpoint=sqlite://${SECRETS.configDToken}`] } }),
    }, dir);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('from the command line, the state disk and config.d: nowhere but their own files', async () => {
    await withVm({
      name: 'secrets', disks: [disk], netdevs: ['user,restrict=on'],
      append: `${VERDICT_APPEND} ${SLIRP_GATEWAY_APPEND} k3os.password=${SECRETS.cmdlinePassword} k3os.token=${SECRETS.cmdlineToken}`,
    }, async (vm) => {
      await vm.waitFor(/verdict: done failures=\d+/);
      const exit = await vm.waitExit();
      const output = vm.output();
      assert.deepEqual(checksFrom(output), Object.fromEntries(checks.map(([name]) => [name, true])), output.slice(-3000));
      for (const [source, value] of Object.entries(SECRETS)) assert.ok(!output.includes(value), `${source} reached the console`);
      assert.deepEqual(exit, { code: 1, signal: null });
    });
  });
});
