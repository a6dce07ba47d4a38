// Builds build/initrd.img, the whole OS image, as docs/image.md lays it out.
// Run with the pinned node: node scripts/build-initrd.ts --kernel-root build/kernel/root ...
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, readdirSync, realpathSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { parseLdd } from './image/ldd.ts';
import { trainCodeCache } from './image/train-code-cache.ts';
import { closureUnder, loadOrder, parseBuiltin, parseModulesDep } from './image/modules.ts';
import { seedAccounts } from '../src/init/console/accounts.ts';
import { ensureClusterCerts } from './cluster-certs.ts';

const { values: opt } = parseArgs({
  options: {
    'kernel-root': { type: 'string', default: 'build/kernel/root' },
    out: { type: 'string', default: 'build/initrd.img' },
    stage: { type: 'string', default: 'build/initrd-root' },
    node: { type: 'string', default: 'node_modules/node/bin/node' },
    dist: { type: 'string', default: 'dist' },
    addon: { type: 'string', default: 'native/build/Release/k3os.node' },
    rootfs: { type: 'string', default: 'rootfs' },
    busybox: { type: 'string', default: '/bin/busybox' },
    // unpacked Debian packages (scripts/fetch-debs.sh): sudo comes from there
    debs: { type: 'string', default: 'build/debs/root' },
    'k3s-bin': { type: 'string', default: '' },
    'k3s-standin': { type: 'string', default: 'dist/k3s-standin.mjs' },
    // the stand-in's cluster CA and certificates; kept here so the host can write build/kubeconfig
    'standin-tls': { type: 'string', default: 'build/standin-tls' },
    // replaces dist/init.cjs, for trying the boot path with another PID 1 program
    init: { type: 'string', default: '' },
    strip: { type: 'boolean', default: true },
    // --no-code-cache: no training boot, PID 1 compiles its bundle at every boot (to measure what the cache buys)
    'code-cache': { type: 'boolean', default: true },
  },
  allowNegative: true,
});

// Loaded by PID 1 in this order before anything else: PCI transport first (virtio_pci is a module in
// the cloud kernel), then the devices; button + evdev turn the ACPI power button into an input event.
const BOOT_MODULES = ['virtio_pci', 'virtio_net', 'virtio_blk', 'virtio_console', 'virtio_rng', 'button', 'evdev'];
// Shipped (not loaded at boot) for k3s, which modprobes what it needs: overlay snapshotter,
// bridge + netfilter for kube-proxy and flannel, veth, vxlan, and the usual helpers.
const K3S_MODULE_DIRS = [
  'kernel/fs/overlayfs/', 'kernel/net/bridge/', 'kernel/net/netfilter/', 'kernel/net/ipv4/netfilter/',
  'kernel/net/ipv6/netfilter/', 'kernel/net/sched/', 'kernel/drivers/net/veth.ko', 'kernel/drivers/net/vxlan/',
  'kernel/drivers/net/wireguard/', 'kernel/net/ipv4/ipip.ko', 'kernel/drivers/block/loop.ko', 'kernel/fs/squashfs/',
];
const BUSYBOX_SKIP = new Set(['init', 'linuxrc']);

const stage = opt.stage;
const at = (p: string): string => join(stage, p);
const problems: string[] = [];

const put = (src: string, dest: string, mode = 0o644): void => {
  mkdirSync(dirname(at(dest)), { recursive: true });
  copyFileSync(src, at(dest));
  chmodSync(at(dest), mode);
};
const write = (dest: string, text: string, mode = 0o644): void => {
  mkdirSync(dirname(at(dest)), { recursive: true });
  writeFileSync(at(dest), text, { mode });
  chmodSync(at(dest), mode);
};
const optional = (src: string, dest: string, what: string, mode = 0o644): void => {
  if (existsSync(src)) put(src, dest, mode);
  else problems.push(`${what} missing (${src})`);
};
const run = (cmd: string, args: string[], cwd?: string): string =>
  execFileSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20, ...(cwd ? { cwd } : {}) });

rmSync(stage, { recursive: true, force: true });
for (const d of ['bin', 'sbin', 'usr/bin', 'usr/sbin', 'usr/local', 'usr/lib/k3os', 'usr/share/k3os/etc', 'lib', 'lib64',
  'etc', 'proc', 'sys', 'dev', 'run', 'tmp', 'var', 'home', 'opt', 'root', 'mnt', 'k3os/system']) {
  mkdirSync(at(d), { recursive: true });
}
chmodSync(at('tmp'), 0o1777);
chmodSync(at('root'), 0o700);
// The kernel's built-in initramfs has /dev/console too; ours must not depend on that.
try { run('mknod', ['-m', '600', at('dev/console'), 'c', '5', '1']); } catch { problems.push('cannot mknod /dev/console (not root?)'); }

// The loader runs init.cjs from the code cache the training boot below leaves beside it.
const INIT_ARGV = ['/usr/bin/node', '--disable-sigusr1', '--max-old-space-size=96', '/usr/lib/k3os/init-loader.cjs'];
const CODE_CACHE = 'usr/lib/k3os/init.code-cache';
// Before node starts: fault-around off. On a page fault the kernel also maps up to 15 neighbouring
// pages already in memory (all of the initramfs is), so a process's RSS counted ~25 MB of node's
// binary that PID 1 never touched; with 4096 only touched pages are mapped (docs/image.md).
const FAULT_AROUND = 'mount -t sysfs sysfs /sys && mount -t debugfs debugfs /sys/kernel/debug && ' +
  'echo 4096 > /sys/kernel/debug/fault_around_bytes; umount /sys/kernel/debug; umount /sys';
write('init', `#!/bin/sh\n${FAULT_AROUND}\nexec ${INIT_ARGV.join(' ')}\n`, 0o755);
put('scripts/image/init-loader.cjs', 'usr/lib/k3os/init-loader.cjs');

// Node runtime and the libraries it (and the addon) link against, at the paths ldd names.
const nodeReal = realpathSync(opt.node);
if (opt.strip) run('strip', ['--strip-all', '-o', at('usr/bin/node'), nodeReal]);
else copyFileSync(nodeReal, at('usr/bin/node'));
chmodSync(at('usr/bin/node'), 0o755);
const libs = new Set(parseLdd(run('ldd', [nodeReal])));
if (existsSync(opt.addon)) for (const l of parseLdd(run('ldd', [opt.addon]))) libs.add(l);

// sudo (rancher -> root, rules in rootfs/etc/sudoers) with its plugins, and the two PAM modules
// rootfs/etc/pam.d/sudo names, at Debian's module path where libpam looks for them.
const sudoBin = join(opt.debs, 'usr/bin/sudo');
const sudoLib = join(opt.debs, 'usr/libexec/sudo');
if (existsSync(sudoBin)) {
  put(sudoBin, 'usr/bin/sudo', 0o4755);
  cpSync(sudoLib, at('usr/libexec/sudo'), { recursive: true, verbatimSymlinks: true });
  const ldd = (file: string): string[] =>
    parseLdd(execFileSync('ldd', [file], { encoding: 'utf8', env: { ...process.env, LD_LIBRARY_PATH: sudoLib } }));
  for (const f of [sudoBin, ...readdirSync(sudoLib).filter((n) => n.endsWith('.so')).map((n) => join(sudoLib, n))]) {
    for (const l of ldd(f)) libs.add(l);
  }
  for (const m of ['pam_deny.so', 'pam_permit.so']) put(`/lib/x86_64-linux-gnu/security/${m}`, `lib/x86_64-linux-gnu/security/${m}`, 0o644);
} else problems.push(`sudo missing (${sudoBin}; run scripts/fetch-debs.sh)`);
for (const lib of libs) put(realpathSync(lib), lib, 0o755);

// Programs: PID 1, agent, CLI, addon.
put(opt.init !== '' ? opt.init : join(opt.dist, 'init.cjs'), 'usr/lib/k3os/init.cjs');
optional(join(opt.dist, 'agent.mjs'), 'usr/lib/k3os/agent.mjs', 'agent bundle');
optional(join(opt.dist, 'k3os.mjs'), 'usr/lib/k3os/k3os.mjs', 'CLI bundle');
optional(opt.addon, 'usr/lib/k3os/k3os.node', 'native addon', 0o755);
write('usr/bin/k3os', '#!/bin/sh\nexec /usr/bin/node /usr/lib/k3os/k3os.mjs "$@"\n', 0o755);

if (opt['k3s-bin'] !== '') {
  put(opt['k3s-bin'], 'usr/bin/k3s', 0o755);
} else {
  optional(opt['k3s-standin'], 'usr/lib/k3os/k3s-standin.mjs', 'k3s stand-in');
  // The stand-in serves the test API (K3S_STANDIN_API) with certificates made here: the guest has no
  // openssl, and the host needs the same CA and admin credentials for build/kubeconfig (make run).
  ensureClusterCerts(opt['standin-tls']);
  for (const f of ['ca.crt', 'ca.key', 'serving.crt', 'serving.key', 'client-admin.crt', 'client-admin.key']) {
    put(join(opt['standin-tls'], f), `usr/lib/k3os/standin-tls/${f}`, f.endsWith('.key') ? 0o600 : 0o644);
  }
  write('usr/bin/k3s', '#!/bin/sh\nexport K3S_STANDIN_API=1 K3S_STANDIN_TLS_DIR=/usr/lib/k3os/standin-tls\nexec /usr/bin/node /usr/lib/k3os/k3s-standin.mjs "$@"\n', 0o755);
  write('usr/lib/k3os/k3s-is-standin', 'this image carries the k3s stand-in; build with K3S_BIN=/path/to/k3s for the real one\n');
}

// busybox for consoles and the recovery shell; applets as absolute symlinks where nothing else lives.
put(opt.busybox, 'bin/busybox', 0o755);
for (const applet of run(opt.busybox, ['--list-full']).split('\n')) {
  const name = applet.split('/').pop() ?? '';
  if (applet === '' || BUSYBOX_SKIP.has(name) || existsSync(at(applet))) continue;
  mkdirSync(dirname(at(applet)), { recursive: true });
  symlinkSync('/bin/busybox', at(applet));
}

// rootfs overlay: etc/ becomes the /etc seed, everything else lands where it is.
const pkgVersion = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;
if (existsSync(opt.rootfs)) {
  for (const entry of readdirSync(opt.rootfs)) {
    const dest = entry === 'etc' ? 'usr/share/k3os/etc' : entry;
    cpSync(join(opt.rootfs, entry), at(dest), { recursive: true, dereference: true });
  }
  // /var is the state disk or a tmpfs at run time: PID 1 copies these into k3s's manifests dir each boot.
  const manifests = join(opt.rootfs, 'var/lib/rancher/k3s/server/manifests');
  if (existsSync(manifests)) cpSync(manifests, at('usr/share/k3os/manifests'), { recursive: true, dereference: true });
}
const osRelease = at('usr/share/k3os/etc/os-release');
if (!existsSync(osRelease)) problems.push('rootfs/etc/os-release missing');
else {
  const id = /^VERSION_ID="?([^"\n]*)"?$/m.exec(readFileSync(osRelease, 'utf8'))?.[1];
  if (id !== pkgVersion) throw new Error(`rootfs/etc/os-release: VERSION_ID ${id} differs from package.json version ${pkgVersion}`);
  copyFileSync(osRelease, at('usr/lib/os-release'));
}
// Accounts as the console code defines them (PID 1 sets rancher's password field per mode at boot).
const accounts = seedAccounts();
write('usr/share/k3os/etc/passwd', accounts.passwd);
write('usr/share/k3os/etc/group', accounts.group);
write('usr/share/k3os/etc/shadow', accounts.shadow, 0o600);
// sudo ignores a sudoers file that others can write; 0440 is what visudo leaves.
const sudoers = at('usr/share/k3os/etc/sudoers');
if (existsSync(sudoers)) chmodSync(sudoers, 0o440);

// Kernel modules, decompressed as the kernel ships them (MODULE_COMPRESS_NONE), with their own modules.dep.
const version = readdirSync(join(opt['kernel-root'], 'lib/modules'))[0] ?? '';
const kmods = join(opt['kernel-root'], 'lib/modules', version);
const deps = parseModulesDep(readFileSync(join(kmods, 'modules.dep'), 'utf8'));
const builtin = parseBuiltin(readFileSync(join(kmods, 'modules.builtin'), 'utf8'));
const boot = loadOrder(deps, BOOT_MODULES, builtin);
const shipped = new Set([...boot, ...closureUnder(deps, K3S_MODULE_DIRS)]);
const dest = `lib/modules/${version}`;
for (const m of shipped) {
  if (m.endsWith('.ko')) put(join(kmods, m), `${dest}/${m}`);
  else throw new Error(`module ${m}: compressed modules are not expected in this kernel`);
}
for (const f of ['modules.order', 'modules.builtin', 'modules.builtin.modinfo']) put(join(kmods, f), `${dest}/${f}`);
run('depmod', ['-b', stage, version]);
write('usr/lib/k3os/boot-modules', boot.map((m) => `/${dest}/${m}\n`).join(''));

// Last, on the finished stage: the training boot runs what the guest will run.
rmSync(at(CODE_CACHE), { force: true });
if (opt['code-cache']) {
  try {
    const bytes = await trainCodeCache(stage, INIT_ARGV, at(CODE_CACHE));
    console.log(`build-initrd: PID 1 code cache ${(bytes / 1024).toFixed(0)} KiB from a training boot`);
  } catch (err) {
    rmSync(at(CODE_CACHE), { force: true });
    problems.push(`no code cache for PID 1 (training boot: ${(err as Error).message}); boot is slower`);
  }
}

// newc cpio, uncompressed (fastest to unpack under TCG), owned by root, sorted for reproducibility.
const list = run('find', ['.', '-mindepth', '1'], stage).split('\n').filter((l) => l !== '').sort().join('\n') + '\n';
const tmp = `${opt.out}.tmp`;
execFileSync('sh', ['-c', `cpio --quiet -o -H newc -R 0:0 --reproducible > "${realpathSync(dirname(tmp))}/${tmp.split('/').pop()}"`], { cwd: stage, input: list });
renameSync(tmp, opt.out);

const mb = (statSync(opt.out).size / 1048576).toFixed(1);
console.log(`build-initrd: ${opt.out} ${mb} MiB, kernel ${version}, ${shipped.size} modules (${boot.length} at boot)`);
for (const p of problems) console.warn(`build-initrd: WARNING image incomplete: ${p}`);
