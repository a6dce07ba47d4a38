// Boot time to readiness against the floor (issue 3: "the same kernel with an init that powers off
// at once"), alternating the images so host load hits all alike; then PID 1's resident memory after
// boot, read on the console. Prints, never asserts.
//
// Floor: build/floor.img, an initramfs holding only busybox, whose /init prints one line and powers
// off: the kernel's own boot, with the same kernel, command line and qemu devices as ours.
// Image floor (a reference, not the target): our initramfs with that same /init appended (a second
// cpio archive; the kernel unpacks both, the later /init wins). It splits our time into what the
// kernel spends unpacking our image and what PID 1 spends after /init starts.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { SLIRP_GATEWAY_APPEND } from '../test/vm/guest.ts';
import { boot, READY, type Vm } from '../test/vm/harness.ts';

const runs = Number(process.env.BENCH_BOOTS ?? 3);
const FLOOR = /k3os-floor: ready/;
const IMAGE_FLOOR = 'build/bench-image-floor.img';
// BENCH_INITRD=path compares another build of the image (e.g. one made with --no-code-cache)
const INITRD = process.env.BENCH_INITRD ?? 'build/initrd.img';
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
const load = (): string => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

// Users get the 1 s recovery prompt by default; the boot also runs once per round without it
// (k3os.recovery_prompt=0) to show what the window costs.
const NO_PROMPT = 'k3os.recovery_prompt=0';

const timeTo = async (initrd: string, re: RegExp, append = ''): Promise<{ ms: number; vm: Vm; match: RegExpExecArray }> => {
  // the same command line for every image, floors included
  const vm = await boot({ initrd, netdevs: ['user,restrict=on'], append: `${SLIRP_GATEWAY_APPEND} ${append}`.trim() });
  try {
    const match = await vm.waitFor(re);
    return { ms: vm.elapsed(), vm, match };
  } catch (e) {
    await vm.kill();
    throw e;
  }
};

/**
 * PID 1's memory through a login on the serial console (rancher has no password in live mode).
 * VmRSS counts the node binary's pages too: they live in the initramfs (shmem), in memory whether
 * PID 1 maps them or not, so the split is printed with it.
 */
const pid1Memory = async (vm: Vm): Promise<string> => {
  try {
    await vm.send('\n');
    await vm.waitFor(/login: $/m, 30_000);
    await vm.send('rancher\n');
    // busybox ash asks the terminal for the cursor position right after its prompt: no end anchor
    await vm.waitFor(/[$#] /, 30_000);
    await vm.send('grep -E "^(VmRSS|RssAnon|RssFile|RssShmem):" /proc/1/status | tr -s " \\t\\n" " "; echo\n');
    const m = await vm.waitFor(/VmRSS: (\d+) kB RssAnon: (\d+) kB RssFile: (\d+) kB RssShmem: (\d+) kB/, 30_000);
    const mib = (i: number): string => (Number(m[i]) / 1024).toFixed(1);
    return `${mib(1)} MiB (target < 60 MiB): anonymous ${mib(2)} MiB, node binary and other files mapped from the initramfs ${(Number(m[3]) / 1024 + Number(m[4]) / 1024).toFixed(1)} MiB`;
  } catch (e) {
    return `not measured: ${(e as Error).message.split('\n')[0]}`;
  }
};

if (!existsSync('build/floor.img') || !existsSync(INITRD)) {
  console.log('boot bench: run `make bench` (needs build/floor.img and the image)');
  process.exit(1);
}
execFileSync('sh', ['-c', `cat ${INITRD} build/floor.img > ${IMAGE_FLOOR}`]);

const loadBefore = load();
const floor: number[] = [];
const imageFloor: number[] = [];
const ours: number[] = [];
const inGuest: number[] = [];
const noPrompt: number[] = [];
let memory = '';
try {
  for (let i = 0; i < runs; i++) {
    for (const [initrd, re, into] of [['build/floor.img', FLOOR, floor], [IMAGE_FLOOR, FLOOR, imageFloor]] as const) {
      const f = await timeTo(initrd, re);
      into.push(f.ms);
      await f.vm.kill();
    }
    const o = await timeTo(INITRD, READY);
    ours.push(o.ms);
    inGuest.push(Number(o.match[1]));
    if (i === runs - 1) memory = await pid1Memory(o.vm);
    await o.vm.kill();
    const q = await timeTo(INITRD, READY, NO_PROMPT);
    noPrompt.push(q.ms);
    await q.vm.kill();
  }
} finally {
  rmSync(IMAGE_FLOOR, { force: true });
}

const fmt = (xs: number[]): string => xs.map((x) => x.toFixed(0)).join(', ');
const line = (label: string, xs: number[]): string => `  ${label.padEnd(52)} median ${median(xs).toFixed(0).padStart(6)} ms  [${fmt(xs)}]`;
console.log(`boot to readiness (host wall clock from qemu start, ${runs} boots each, TCG, -m 1024; load ${loadBefore} -> ${load()})`);
console.log(line('floor (kernel + busybox /init that powers off):', floor));
console.log(line('image floor (kernel + our initramfs, same /init):', imageFloor));
console.log(line('k3OS-ts readiness line:', ours));
console.log(line('PID 1\'s own "ready in" (from node\'s start):', inGuest));
console.log(line(`readiness line with ${NO_PROMPT}:`, noPrompt));
console.log(`  ratio ours/floor: ${(median(ours) / median(floor)).toFixed(2)}x (target 1.3x); image floor/floor ${(median(imageFloor) / median(floor)).toFixed(2)}x, ours/image floor ${(median(ours) / median(imageFloor)).toFixed(2)}x; without the prompt ${(median(noPrompt) / median(floor)).toFixed(2)}x`);
console.log(`PID 1 RSS after boot: ${memory}`);
