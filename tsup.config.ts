import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { defineConfig, type Options } from 'tsup';
import { functionScope } from './tsup.function-scope.mjs';

// Library entry points → package subpaths (see the `exports` map in package.json).
const libraryEntries: Record<string, string> = {
  index: 'src/index.ts',
  compat: 'src/compat.ts',
  'server/index': 'src/server/index.ts',
  'client/index': 'src/client/index.ts',
};
const present = (entries: Record<string, string>) =>
  Object.fromEntries(Object.entries(entries).filter(([, file]) => existsSync(file)));

/** Every source module the entries reach through relative imports (the files to emit). */
function reachableModules(entries: string[]): string[] {
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file) || !existsSync(file)) return;
    seen.add(file);
    // `from './x'`, `import './x'` and `import('./x')`, with either quote.
    for (const [, specifier] of readFileSync(file, 'utf8').matchAll(/\b(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
      visit(join(dirname(file), `${specifier}.ts`));
    }
  };
  entries.forEach(visit);
  return [...seen].sort();
}

// One output file per source module, importing its neighbours by relative path, like the
// source tree. A bundler then drops whole unused modules ("sideEffects": false), so an app that
// imports only ChatTokenBuilder2 carries no 006 code, no CLI and no server
// (test/package/check.mjs measures it).
const keepModules: NonNullable<Options['esbuildPlugins']>[number] = {
  name: 'keep-modules',
  setup(build) {
    const extension = build.initialOptions.format === 'cjs' ? '.cjs' : '.js';
    build.onResolve({ filter: /^\.\.?\// }, (args) =>
      args.kind === 'entry-point' ? undefined : { path: `${args.path}${extension}`, external: true });
  },
};

/**
 * Node's CommonJS root entry (dist/node/index.cjs) as tsup writes it only re-exports its chunks,
 * and requires every chunk up front. Rewritten here so that each chunk is required the first
 * time one of its names is read: `const { ChatTokenBuilder2 } = require(...)` then loads the
 * build side only, not the read side and the 006 code (~3 ms of a cold start, bench/build.ts).
 * Each name becomes a getter that, on first read, turns into the plain, writable data property
 * it was. The `0 && (module.exports = ...)` line lists the names for Node's static CommonJS
 * export detection (cjs-module-lexer), as esbuild writes it. Anything else in the file stops
 * the build: the rewrite only knows that shape.
 */
function lazyChunkReexports(file: string): void {
  const statements = readFileSync(file, 'utf8').split(';').map((s) => s.trim()).filter(Boolean);
  const chunks = new Map<string, string>();
  const names: Array<[name: string, chunk: string, key: string]> = [];
  for (const statement of statements) {
    let m: RegExpMatchArray | null;
    if (statement === '"use strict"' || statement === 'Object.defineProperty(exports, "__esModule", {value: true})') continue;
    if ((m = statement.match(/^var (\w+) = require\('(\.\/chunk-[\w-]+\.cjs)'\)$/))) chunks.set(m[1], m[2]);
    else if ((m = statement.match(/^exports\.(\w+) = (\w+)\.(\w+)$/)) && chunks.has(m[2])) names.push([m[1], m[2], m[3]]);
    else throw new Error(`${file}: unexpected statement for the lazy re-export rewrite: ${statement.slice(0, 120)}`);
  }
  const loaders = [...chunks].map(([id, path]) => `const ${id} = () => require('${path}');`);
  const reexports = names.map(([name, id, key]) => `reexport('${name}', ${id}, '${key}');`);
  writeFileSync(file, [
    '"use strict";',
    'Object.defineProperty(exports, "__esModule", { value: true });',
    '// Each chunk is required the first time one of its names is read (see tsup.config.ts).',
    ...loaders,
    'function reexport(name, load, key) {',
    '  const own = (value) => Object.defineProperty(exports, name, { value, writable: true, enumerable: true, configurable: true });',
    '  Object.defineProperty(exports, name, { enumerable: true, configurable: true, get: () => own(load()[key])[name], set: own });',
    '}',
    ...reexports,
    `0 && (module.exports = { ${names.map(([name]) => name).join(', ')} });`,
    '',
  ].join('\n'));
}

/** Rewrites a built ES module in place (see tsup.function-scope.mjs). */
const scopeFile = (file: string): void => writeFileSync(file, functionScope(readFileSync(file, 'utf8'), file));

/** A self-contained, minified ES module for browsers in dist/browser/ (the library's in a function scope, see functionScope). */
const browserBundle = (entry: Record<string, string>, scoped = false, banner?: string): Options => ({
  entry,
  banner: banner === undefined ? undefined : { js: banner },
  outDir: 'dist/browser',
  format: ['esm'],
  platform: 'browser',
  noExternal: [/.*/],
  minify: true,
  treeshake: true,
  target: 'es2020',
  onSuccess: scoped ? async () => Object.keys(entry).forEach((name) => scopeFile(`dist/browser/${name}.js`)) : undefined,
});

const libraryModules = reachableModules(Object.values(present(libraryEntries)));

export default defineConfig([
  {
    entry: Object.fromEntries(libraryModules.map((file) => [file.replace(/^src\//, '').replace(/\.ts$/, ''), file])),
    format: ['esm', 'cjs'],
    dts: { entry: present(libraryEntries) },
    clean: true,
    splitting: false,
    esbuildPlugins: [keepModules],
    target: 'es2020',
  },
  // Node's build (the `node` export condition): each entry bundled, with the code the entries
  // share in one chunk (one copy of TokenError and the rest for all three), so `require` and
  // `import` read two or three files instead of sixty. Bundlers (browser, workers) take the
  // per-module files above, which tree-shake by whole modules.
  {
    entry: present(libraryEntries),
    outDir: 'dist/node',
    format: ['esm', 'cjs'],
    platform: 'node',
    splitting: true,
    target: 'node18',
    // Whitespace and comments out, names kept (stack traces stay readable): less to read and
    // parse on every cold start.
    esbuildOptions(options) {
      options.minifyWhitespace = true;
      options.minifySyntax = true;
    },
    async onSuccess() {
      lazyChunkReexports('dist/node/index.cjs');
      // The chunks hold all the code of the entries (which only re-export them).
      for (const file of readdirSync('dist/node')) if (/^chunk-.*\.js$/.test(file)) scopeFile(join('dist/node', file));
    },
  },
  // The browser build: one self-contained ES module for <script type="module"> pages.
  browserBundle({ 'agora-access-token2': 'src/index.ts' }, true),
  // The web page's script: the page on the Agora Chat Web SDK (bundled: no CDN), served by the
  // token server at /page.js. Only the server reads it; the library never imports it.
  browserBundle({ page: 'src/page/main.ts' }, false,
    '/*! page.js bundles agora-chat 1.4.0 (ISC license, author "agora"; https://www.npmjs.com/package/agora-chat): see LICENSE */'),
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
