/*
 * src/zlib bundled by esbuild as the package build bundles it (minifySyntax: the numeric
 * constants written into the loops), then imported: what the zlib benches time.
 *
 * Imported straight through vite-node, its SSR transform turns every reference to another
 * module's export (the tables, the scratch arrays, zlib's parameters) into a property read on a
 * module namespace, which made deflate and inflate look about twice as slow.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

export type Deflate = (input: Uint8Array) => Uint8Array;
export type Inflate = (data: Uint8Array, options: { maxOutput: number }) => { output: Uint8Array };

export async function bundledZlib(): Promise<{ zlibDeflate: Deflate; zlibInflate: Inflate }> {
  const src = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../src/zlib');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bundled-zlib-'));
  try {
    const entry = path.join(tmp, 'entry.ts');
    fs.writeFileSync(entry, `export { zlibDeflate } from ${JSON.stringify(`${src}/deflate`)};\nexport { zlibInflate } from ${JSON.stringify(`${src}/inflate`)};\n`);
    const outfile = path.join(tmp, 'zlib.mjs');
    await build({ entryPoints: [entry], bundle: true, format: 'esm', platform: 'neutral', minifySyntax: true, outfile, logLevel: 'error' });
    return await import(pathToFileURL(outfile).href);
  } finally {
    fs.rmSync(tmp, { recursive: true });
  }
}
