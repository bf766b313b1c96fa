// The rewrite the build applies to its bundled ES modules (tsup.function-scope.mjs): the code
// runs in a function, the module keeps its imports and exports the same values.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { functionScope, importStatements } from '../tsup.function-scope.mjs';

/** Imports ES module source through a data: URL. */
const load = (code: string): Promise<Record<string, unknown>> =>
  import(/* @vite-ignore */ `data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);

// Both shapes esbuild writes: minified (one line) and with whitespace (bench/bundle.mjs).
const MINIFIED = 'import{join as j}from"node:path";var TABLE=new Uint8Array([1,2,3]);function sum(){let s=0;for(const x of TABLE)s+=x;return s}var Named=class{};export{TABLE,sum as total,Named,j};';
const SPACED = `import { join } from "node:path";
var TABLE = new Uint8Array([1, 2, 3]);
function sum() {
  let s = 0;
  for (const x of TABLE) s += x;
  return s;
}
export {
  TABLE,
  sum as total,
  join
};
`;

describe('functionScope', () => {
  it('moves the code into a function and keeps the imports and the exports', async () => {
    for (const code of [MINIFIED, SPACED]) {
      const scoped = functionScope(code, 'sample');
      // The imports still open the module; then one declaration, the function's results, and
      // the export list: no `var` is left at the module's top level.
      const imports = code.slice(0, code.indexOf('var')).trim();
      expect(scoped.startsWith(imports)).toBe(true);
      expect(scoped.slice(imports.length)).toMatch(/^\s*const\{[\w$,]*\}=\(\(\)=>\{[\s\S]*;return\{[\w$,]*\}\}\)\(\);\s*export\{[^}]*\};\s*$/);
      const before = await load(code);
      const after = await load(scoped);
      expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
      expect(after.total).toBeTypeOf('function');
      expect((after.total as () => number)()).toBe(6);
      expect(after.TABLE).toEqual(before.TABLE);
    }
  });

  it('refuses shapes it does not know', () => {
    expect(() => functionScope('var a=1;export default a;', 'default')).toThrow(/not the shape/);
    expect(() => functionScope('var a=1;', 'no exports')).toThrow(/not the shape/);
    expect(() => functionScope('var a=1;export{a};console.log(a);', 'code after the exports')).toThrow(/not the shape/);
    expect(() => functionScope('var a=1;export{a as "b c"};', 'string name')).toThrow(/not the shape/);
  });

  it('has been applied to the built ES modules that hold the code (dist/node chunks, the browser bundle)', () => {
    const dist = new URL('../dist/', import.meta.url);
    const files = [
      ...readdirSync(new URL('node/', dist)).filter((f) => /^chunk-.*\.js$/.test(f)).map((f) => new URL(`node/${f}`, dist)),
      new URL('browser/agora-access-token2.js', dist),
    ];
    expect(files.length).toBeGreaterThan(1);
    for (const file of files) {
      const code = readFileSync(file, 'utf8');
      // After the imports: the one function that holds every declaration, then the export list.
      const rest = code.slice(importStatements(code).length).trimStart();
      expect(rest.startsWith('const{'), String(file)).toBe(true);
      expect(rest.slice(0, rest.indexOf('=(()=>{'))).toMatch(/^const\{[\w$,]*\}$/);
    }
  });
});
