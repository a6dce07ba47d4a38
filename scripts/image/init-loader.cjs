'use strict';
// PID 1's entry in the image (/init execs node on this file). It runs init.cjs, the CommonJS bundle
// of src/init, from a V8 code cache made by a training boot at build time (scripts/build-initrd.ts).
// Node's own compile cache is made when a module is compiled, before it runs, so it holds only the
// functions V8 compiles eagerly; a cache taken from vm.Script after the training boot also holds
// every function that boot ran (the config schema, the boot phases, the supervisor), which the
// guest then neither parses nor compiles. V8 checks the cache against its version, its flags and
// the source: a mismatch is a slower start, never an error. Plain JavaScript: this file is
// compiled at every boot and type stripping would cost more than the whole file.
// (The idea of caching after execution comes from the v8-compile-cache package.)
const fs = require('node:fs');
const Module = require('node:module');
const path = require('node:path');
const vm = require('node:vm');

const file = path.join(__dirname, 'init.cjs');
const cacheFile = path.join(__dirname, 'init.code-cache');
// Training only: the fd the cache is written to when init exits (its /usr is read-only by then).
const trainFd = process.env.K3OS_CODE_CACHE_FD;
delete process.env.K3OS_CODE_CACHE_FD;

let cachedData;
if (trainFd === undefined) {
  try { cachedData = fs.readFileSync(cacheFile); } catch { /* no cache: compile as usual */ }
}
const script = new vm.Script(Module.wrap(fs.readFileSync(file, 'utf8')), { filename: file, cachedData });
// init logs this in its first line, so a slow boot from a stale cache shows on the console.
globalThis[Symbol.for('k3os.init.codeCache')] =
  cachedData === undefined ? 'none' : script.cachedDataRejected ? 'rejected' : 'accepted';
if (trainFd !== undefined) {
  process.on('exit', () => fs.writeSync(Number(trainFd), script.createCachedData()));
}
const mod = new Module(file, null);
mod.filename = file;
script.runInThisContext()(mod.exports, Module.createRequire(file), mod, file, __dirname);
