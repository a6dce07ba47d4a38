// Preloaded by /init (node --import) before init.mjs: turns on V8's compile cache, so PID 1 skips
// parsing and compiling its bundle. scripts/build-initrd.ts fills the cache on the build machine.
// Node names the cache's subdirectory after V8's cachedDataVersionTag, which mixes in the CPU's
// features, so the guest CPU (qemu -cpu max) asks for another name than the build CPU made. The
// entries themselves are bytecode, which V8 checks against its version, its flags and the source
// (a mismatch is a cache miss, never an error); so the built entries are offered under this CPU's
// name: the empty subdirectory enableCompileCache just made becomes a link to the built one.
import { readdirSync, rmdirSync, symlinkSync } from 'node:fs';
import { enableCompileCache } from 'node:module';

const dir = new URL('compile-cache', import.meta.url).pathname;
enableCompileCache(dir);
try {
  const subdirs = readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory());
  const built = subdirs.find((d) => readdirSync(`${dir}/${d.name}`).length > 0);
  const mine = subdirs.filter((d) => readdirSync(`${dir}/${d.name}`).length === 0);
  if (built && mine.length === 1) {
    rmdirSync(`${dir}/${mine[0].name}`);
    symlinkSync(built.name, `${dir}/${mine[0].name}`);
  }
} catch {
  // a read-only or missing cache only makes the start slower
}
