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

function imports(file: string): string[] {
  const code = readFileSync(join(SRC, file), 'utf8');
  return [...code.matchAll(/\b(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)]
    .map(([, specifier]) => relative(SRC, normalize(join(SRC, dirname(file), `${specifier}.ts`))).replace(/\\/g, '/'));
}

describe('layers point one way (docs/design.md)', () => {
  const files = sourceFiles(SRC);

  it('every module belongs to a layer, and the top of src/ holds only the entries', () => {
    expect(files.filter((file) => layerOf(file) < 0)).toEqual([]);
    expect(files.filter((file) => !file.includes('/'))).toEqual(['compat.ts', 'index.ts']);
  });

  it('nothing lower imports anything higher', () => {
    const upward = files.flatMap((file) => imports(file)
      .filter((target) => layerOf(target) > layerOf(file))
      .map((target) => `${file} (${LAYERS[layerOf(file)][0]}) → ${target} (${LAYERS[layerOf(target)][0]})`));
    expect(upward).toEqual([]);
  });

  it('the check can fail: an upward import is seen', () => {
    expect(layerOf('bytes/reader.ts')).toBeLessThan(layerOf('token007/pack.ts'));
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
