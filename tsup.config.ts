import { dirname, join } from 'node:path';
import { defineConfig, type Options } from 'tsup';

type Plugin = NonNullable<Options['esbuildPlugins']>[number];

// zod's `z` namespace re-exports every locale (~360 KB, a quarter of init.mjs, parsed at each
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

// One bundle per entry point; the native addon stays outside the bundle and is
// loaded at run time from beside the bundle (see src/sys/addon.ts).
export default defineConfig({
  entry: {
    init: 'src/init/main.ts',
    agent: 'src/agent/main.ts',
    k3os: 'src/cli/main.ts',
    'k3s-standin': 'test/fixtures/k3s-standin/main.ts',
  },
  format: ['esm'],
  outExtension: () => ({ js: '.mjs' }),
  platform: 'node',
  target: 'node22',
  bundle: true,
  noExternal: [/.*/],
  splitting: false,
  sourcemap: false,
  clean: true,
  esbuildPlugins: [zodEnglishOnly],
  banner: {
    js: "import { createRequire as __k3osCreateRequire } from 'node:module'; const require = __k3osCreateRequire(import.meta.url);",
  },
});
