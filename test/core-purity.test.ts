import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../src/', import.meta.url));
// The CLI and the Node HTTP adapter are the only places allowed to touch Node's APIs.
const NODE_ALLOWED = [/^cli\//, /^server\/node\.ts$/];

function sourceFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    const rel = prefix + name;
    return statSync(full).isDirectory() ? sourceFiles(full, `${rel}/`) : rel.endsWith('.ts') ? [rel] : [];
  });
}

describe('runtime-agnostic core', () => {
  const files = sourceFiles(SRC).filter((f) => !NODE_ALLOWED.some((re) => re.test(f)));

  it('finds the core sources', () => {
    expect(files.length).toBeGreaterThan(10);
  });

  it.each(files)('%s imports nothing from node: and uses no Buffer/process/require', (file) => {
    const code = readFileSync(join(SRC, file), 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/\/\/.*$/gm, '');
    expect(code).not.toMatch(/from\s+['"]node:/);
    expect(code).not.toMatch(/import\(\s*['"]node:/);
    expect(code).not.toMatch(/\brequire\s*\(/);
    expect(code).not.toMatch(/\bBuffer\b/);
    expect(code).not.toMatch(/\bprocess\./);
    // Bare Node built-ins too (e.g. from 'crypto', 'zlib').
    expect(code).not.toMatch(/from\s+['"](crypto|zlib|fs|path|os|util|http|buffer)['"]/);
  });
});
