import { existsSync } from 'node:fs';
import { defineConfig } from 'tsup';

// Library entry points → package subpaths (see the `exports` map in package.json).
const libraryEntries: Record<string, string> = {
  index: 'src/index.ts',
  compat: 'src/compat.ts',
  server: 'src/server/index.ts',
};
const present = (entries: Record<string, string>) =>
  Object.fromEntries(Object.entries(entries).filter(([, file]) => existsSync(file)));

export default defineConfig([
  {
    entry: present(libraryEntries),
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    treeshake: true,
    splitting: true,
    target: 'es2020',
  },
  // The browser build: one self-contained ES module for <script type="module"> pages.
  {
    entry: { 'agora-access-token2': 'src/index.ts' },
    outDir: 'dist/browser',
    format: ['esm'],
    platform: 'browser',
    noExternal: [/.*/],
    minify: true,
    treeshake: true,
    target: 'es2020',
  },
  ...(existsSync('src/cli/main.ts')
    ? [{
        entry: { cli: 'src/cli/main.ts' },
        format: ['esm' as const],
        platform: 'node' as const,
        target: 'node18',
        banner: { js: '#!/usr/bin/env node' },
      }]
    : []),
]);
