// What a VM test puts inside the guest: files on the state disk (debugfs, no mount),
// and a verdict script that PID 1 runs from the config's run_cmd as root. The script
// waits until boot is complete (the control socket exists), prints one line per check
// on the console, and ends qemu through `k3os debug exit <failures>` (exit 2N+1).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Lets `k3os debug exit` write qemu's isa-debug-exit port (src/sys/debug-exit.ts). */
export const VERDICT_APPEND = 'k3os_test_debug_exit=1';
/** Under `-netdev user,restrict=on` qemu's DHCP offers no router: the tests route through slirp's gateway. */
export const SLIRP_GATEWAY_APPEND = 'k3os.network.interfaces.eth0.gateway=10.0.2.2';
export const VERDICT_SCRIPT = '/run/k3os-test-verdict.sh';
// Not anchored to a line start: the getty's login prompt can land on the same console line.
export const CHECK_LINE = /verdict: (ok|FAIL) (\S+)/g;

/** Writes files under the state disk's var/ (its /var), creating directories. */
export function putOnDisk(image: string, files: Record<string, string>, scratch: string): void {
  const cmds: string[] = [];
  const made = new Set<string>();
  let n = 0;
  for (const [path, text] of Object.entries(files)) {
    assert.match(path, /^\/var\//, 'only /var lives on the state disk');
    const onDisk = path.slice(1);
    const parts = onDisk.split('/');
    for (let i = 1; i < parts.length; i++) {
      const d = parts.slice(0, i).join('/');
      if (!made.has(d)) { made.add(d); cmds.push(`mkdir ${d}`); }
    }
    const local = join(scratch, `put${n++}`);
    writeFileSync(local, text);
    cmds.push(`write ${local} ${onDisk}`);
  }
  const script = join(scratch, 'debugfs.cmds');
  writeFileSync(script, `${cmds.join('\n')}\n`);
  const r = spawnSync('debugfs', ['-w', '-f', script, image], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
}

/**
 * A POSIX sh script: each check is [name, shell condition]. `after` runs once every
 * check has printed (default: the debug-exit verdict).
 */
export function verdictScript(checks: ReadonlyArray<readonly [string, string]>, after = 'k3os debug exit "$fail"'): string {
  return [
    '#!/bin/sh',
    'fail=0',
    'until [ -S /run/k3os/init.sock ]; do sleep 0.2; done',
    ...checks.map(([name, cond]) => `if ${cond}; then echo "verdict: ok ${name}"; else echo "verdict: FAIL ${name}"; fail=$((fail+1)); fi`),
    'echo "verdict: done failures=$fail"',
    after,
    '',
  ].join('\n');
}

/** The config fragment that writes the script and starts it in the background from run_cmd. */
export function verdictConfig(script: string): { write_files: object[]; run_cmd: string[] } {
  return {
    write_files: [{ path: VERDICT_SCRIPT, permissions: '0755', content: script }],
    // Output to the console, where the test reads it; run_cmd itself returns at once.
    run_cmd: [`${VERDICT_SCRIPT} >/dev/console 2>&1 &`],
  };
}

/** The check lines the guest printed, as { name: ok }. */
export function checksFrom(output: string): Record<string, boolean> {
  const out: Record<string, boolean> = {};
  for (const m of output.matchAll(CHECK_LINE)) out[m[2]!] = m[1] === 'ok';
  return out;
}
