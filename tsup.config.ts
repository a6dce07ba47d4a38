import { defineConfig } from 'tsup';

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
  banner: {
    js: "import { createRequire as __k3osCreateRequire } from 'node:module'; const require = __k3osCreateRequire(import.meta.url);",
  },
});
