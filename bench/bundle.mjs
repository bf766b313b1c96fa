/*
 * Modules of a checkout bundled as the package build bundles them, then imported: what the
 * benches that time internal pieces (the zlib halves, the floor's SHA-256 and signing chain)
 * run. esbuild with minifySyntax, as tsup's Node build: it writes the numeric constants into
 * the loops. Then the bundle's code is moved into a function scope, as the build does to its
 * ES modules (tsup.function-scope.mjs): V8 takes the scratch arrays for constants there.
 * Imported straight from dist's per-module files or through vite-node, every constant imported
 * from another module is a load of a module binding (a namespace property read under
 * vite-node), which made deflate and inflate look up to twice as slow.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { functionScope } from '../tsup.function-scope.mjs';

/** This repository's root. */
export const REPO = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

/**
 * Bundles `names` from each module: `{ 'src/zlib/deflate': ['zlibDeflate'] }`, paths relative to
 * `root` (default: this repository), and imports the bundle.
 */
export async function bundleModules(modules, root = REPO) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-bundle-'));
  try {
    const entry = path.join(tmp, 'entry.ts');
    fs.writeFileSync(entry, Object.entries(modules)
      .map(([module, names]) => `export { ${names.join(', ')} } from ${JSON.stringify(path.resolve(root, module))};\n`).join(''));
    const outfile = path.join(tmp, 'bundle.mjs');
    await build({
      entryPoints: [entry], bundle: true, format: 'esm', platform: 'node', minifySyntax: true, outfile,
      logLevel: 'error', nodePaths: [path.join(REPO, 'node_modules')],
    });
    fs.writeFileSync(outfile, functionScope(fs.readFileSync(outfile, 'utf8'), outfile));
    return await import(pathToFileURL(outfile).href);
  } finally {
    fs.rmSync(tmp, { recursive: true });
  }
}
