// A power cut during `PUT /v1/config` leaves config.d/90-k3osconfig.yaml old or new, never torn.
// The first boot sends a PUT with a large body and qemu is killed (SIGKILL, no flush) the moment
// the guest says the request is on its way; the second boot of the same disk, after the kernel
// replayed the journal, checks the file and that the node booted with it.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { stringify } from 'yaml';
import { INITRD, makeStateDisk, READY, withVm } from './harness.ts';
import { checksFrom, putOnDisk, SLIRP_GATEWAY_APPEND, VERDICT_APPEND, verdictConfig, verdictScript } from './guest.ts';

const DESIRED = '/var/lib/rancher/k3os/config.d/90-k3osconfig.yaml';
const MARK_DIR = '/var/lib/k3os-test';
const MARK = `${MARK_DIR}/cut-sent`;
const END = 'END-OF-NEW-GENERATION';
// ~600 KiB of file content (the API takes up to 1 MiB): the write and fsync take long enough
// under TCG that the kill lands while PID 1 is at work.
const PUT = [
  'node -e "',
  "const body=JSON.stringify({hostname:'cut-node',k3os:{labels:{gen:'new'}},write_files:[{path:'/etc/k3os-test/big',content:'x'.repeat(600000)+'${END}'}]});",
  "const r=require('http').request({socketPath:'/run/k3os/init.sock',path:'/v1/config',method:'PUT',headers:{'content-type':'application/json','content-length':Buffer.byteLength(body)}});",
  "r.on('error',()=>{});r.end(body,()=>console.log('put-sent'));setTimeout(()=>{},60000)",
  '"',
].join('');
const OLD = stringify({ k3os: { labels: { gen: 'old' } } });

const checks = [
  ['desired-is-old-or-whole-new', `{ [ "$(cat ${DESIRED})" = "$(printf '%s' '${OLD.trimEnd()}')" ]; } || { grep -q 'gen: new' ${DESIRED} && grep -q ${END} ${DESIRED}; }`],
  ['desired-validates', `k3os config --validate ${DESIRED}`],
  ['node-runs-that-config', `if grep -q 'gen: new' ${DESIRED}; then [ "$(hostname)" = cut-node ]; else [ "$(hostname)" != cut-node ]; fi`],
] as const;

describe('power cut during PUT /v1/config', { skip: !existsSync(INITRD) && 'no image: run make image' }, () => {
  let dir = '';
  let disk = '';
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'k3os-cut-test-'));
    disk = join(dir, 'state.img');
    await makeStateDisk(disk, 256);
    // One script for both boots: the first sends the PUT, the second checks what it left.
    const script = verdictScript(checks);
    const both = `#!/bin/sh\nif [ ! -e ${MARK} ]; then\n  until [ -S /run/k3os/init.sock ]; do sleep 0.2; done\n  mkdir -p ${MARK_DIR} && touch ${MARK} && sync\n  ${PUT}\n  exit 0\nfi\n${script.replace('#!/bin/sh\n', '')}`;
    const { write_files, run_cmd } = verdictConfig(both);
    putOnDisk(disk, {
      '/var/lib/rancher/k3os/config.yaml': stringify({ write_files, run_cmd }),
      [DESIRED]: OLD,
    }, dir);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('the file is the old generation or the whole new one, and the next boot uses it', async () => {
    await withVm({ name: 'power-cut-1', disks: [disk], netdevs: ['user,restrict=on'], append: `${VERDICT_APPEND} ${SLIRP_GATEWAY_APPEND}` }, async (vm) => {
      await vm.waitFor(/put-sent/);
      await vm.kill();
    });
    await withVm({ name: 'power-cut-2', disks: [disk], netdevs: ['user,restrict=on'], append: `${VERDICT_APPEND} ${SLIRP_GATEWAY_APPEND}` }, async (vm) => {
      await vm.waitFor(READY);
      await vm.waitFor(/verdict: done failures=\d+/);
      const exit = await vm.waitExit();
      const output = vm.output();
      assert.deepEqual(checksFrom(output), Object.fromEntries(checks.map(([name]) => [name, true])), output.slice(-3000));
      assert.deepEqual(exit, { code: 1, signal: null });
    });
  });
});
