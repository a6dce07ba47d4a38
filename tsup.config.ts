import { dirname, join } from 'node:path';
import { defineConfig, type Options } from 'tsup';

type Plugin = NonNullable<Options['esbuildPlugins']>[number];

// zod's `z` namespace re-exports every locale (~360 KB, a quarter of PID 1's bundle, parsed at each
// PID 1 start); only English is used, so the locales index resolves to English alone.
const zodEnglishOnly: Plugin = {
  name: 'zod-english-only',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (a) =>
      /[\\/]zod[\\/]v4[\\/]/.test(a.importer) ? { path: join(dirname(a.importer), '../locales/en.js'), namespace: 'zod-en' } : undefined);
    build.onLoad({ filter: /.*/, namespace: 'zod-en' }, (a) =>
      ({ contents: `export { default as en } from ${JSON.stringify(a.path)};`, resolveDir: dirname(a.path) }));
  },
};

// PID 1 hands pino its own streams (src/init/log/logger.ts), so pino.destination (sonic-boom) and
// transports (thread-stream) are never called; loading them pulls in node:assert and more, ~65 ms of
// every boot under TCG. PID 1's bundle gets, in their place, a module that throws if one ever is.
const pinoStreamsLeftOut: Plugin = {
  name: 'pino-streams-left-out',
  setup(build) {
    build.onResolve({ filter: /^(sonic-boom|thread-stream)$/ }, (a) => ({ path: a.path, namespace: 'left-out' }));
    build.onLoad({ filter: /.*/, namespace: 'left-out' }, (a) => ({
      contents: `module.exports = function () { throw new Error(${JSON.stringify(`${a.path} is left out of PID 1's bundle (tsup.config.ts)`)}); };`,
      loader: 'js',
    }));
  },
};

const common: Options = {
  platform: 'node',
  target: 'node22',
  bundle: true,
  noExternal: [/.*/],
  splitting: false,
  sourcemap: false,
  clean: false,
  esbuildPlugins: [zodEnglishOnly],
};

// One bundle per entry point; the native addon stays outside the bundle and is
// loaded at run time from beside the bundle (see src/sys/addon.ts). PID 1 is
// CommonJS: the image runs it from a V8 code cache, which only vm.Script can
// make after a run (scripts/image/init-loader.cjs); ESM cannot be run that way.
export default defineConfig([
  {
    ...common,
    entry: { init: 'src/init/main.ts' },
    format: ['cjs'],
    outExtension: () => ({ js: '.cjs' }),
    esbuildPlugins: [zodEnglishOnly, pinoStreamsLeftOut],
    define: { 'import.meta.url': '__k3osImportMetaUrl' },
    banner: { js: "'use strict'; const __k3osImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  },
  {
    ...common,
    entry: {
      agent: 'src/agent/main.ts',
      k3os: 'src/cli/main.ts',
      'k3s-standin': 'test/fixtures/k3s-standin/main.ts',
    },
    format: ['esm'],
    outExtension: () => ({ js: '.mjs' }),
    banner: {
      js: "import { createRequire as __k3osCreateRequire } from 'node:module'; const require = __k3osCreateRequire(import.meta.url);",
    },
  },
]);
