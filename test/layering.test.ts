import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../src/', import.meta.url));

/**
 * The layers docs/design.md states, lowest first. A module may import its own layer and the
 * layers below, never one above. (The same list is in docs/design.md; the last test checks it.)
 */
const LAYERS: ReadonlyArray<readonly [string, RegExp]> = [
  ['errors', /^base\//],
  ['bytes', /^bytes\//],
  ['primitives', /^(crypto|zlib|args)\//],
  ['formats', /^(token007|token006|read)\//],
  ['builders', /^builders\//],
  ['entries', /^(index\.ts|compat\.ts|cli\/|server\/|client\/|page\/)/],
];

function sourceFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    const rel = prefix + name;
    return statSync(full).isDirectory() ? sourceFiles(full, `${rel}/`) : rel.endsWith('.ts') ? [rel] : [];
  });
}

const layerOf = (file: string): number => LAYERS.findIndex(([, pattern]) => pattern.test(file));

/** The modules of src/ that `file` imports (`code`: its text, read when not given). */
function imports(file: string, code = readFileSync(join(SRC, file), 'utf8')): string[] {
  return [...code.matchAll(/\b(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)]
    .map(([, specifier]) => relative(SRC, normalize(join(SRC, dirname(file), `${specifier}.ts`))).replace(/\\/g, '/'));
}

/** `file`'s imports of a layer above its own, as "file (layer) → target (layer)". */
function upwardImports(file: string, code?: string): string[] {
  return imports(file, code)
    .filter((target) => layerOf(target) > layerOf(file))
    .map((target) => `${file} (${LAYERS[layerOf(file)][0]}) → ${target} (${LAYERS[layerOf(target)][0]})`);
}

describe('layers point one way (docs/design.md)', () => {
  const files = sourceFiles(SRC);

  it('every module belongs to a layer, and the top of src/ holds only the entries', () => {
    expect(files.filter((file) => layerOf(file) < 0)).toEqual([]);
    expect(files.filter((file) => !file.includes('/'))).toEqual(['compat.ts', 'index.ts']);
  });

  it('nothing lower imports anything higher', () => {
    expect(files.flatMap((file) => upwardImports(file))).toEqual([]);
  });

  it('the check can fail: an upward import is seen', () => {
    const code = "import { packToken } from '../token007/pack';\nexport const x = await import('../bytes/writer');\n";
    expect(upwardImports('bytes/example.ts', code)).toEqual(['bytes/example.ts (bytes) → token007/pack.ts (formats)']);
  });

  it('docs/design.md names the same layers in the same order', () => {
    const design = readFileSync(join(SRC, '../docs/design.md'), 'utf8');
    const line = design.split('\n').find((l) => l.startsWith('Layers, lowest first:')) ?? '';
    expect(line.replace('Layers, lowest first:', '').split('→').map((part) => part.trim().split(' ')[0])).toEqual(LAYERS.map(([name]) => name));
  });

  it('the CLI uses the public entry, not the builders', () => {
    const cli = files.filter((file) => file.startsWith('cli/') && file !== 'cli/serve.ts');
    expect(cli.flatMap((file) => imports(file).filter((t) => /^(builders|token007|token006|read|args)\//.test(t)).map((t) => `${file} → ${t}`))).toEqual([]);
  });
});
