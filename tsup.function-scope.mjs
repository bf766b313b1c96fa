/** One import statement as esbuild writes it: `import "x";`, or `import <clause> from "x";`. */
const IMPORT = String.raw`\s*import\s*(?:([\w$\s{},*]*?)\s*from\s*)?["'][^"']+["'];?`;

/**
 * An ES module's code moved into a function scope: its imports stay at the top, its code runs in
 * a function called once, and its one export list (at the end) exports what that function
 * returns. The package build applies it to the bundled ES modules (tsup.config.ts), and
 * bench/bundle.mjs to what it bundles, so that the benches time the code as shipped.
 *
 * Why: a bundler writes every top-level `const` as `var` (esbuild does whenever it bundles), and
 * V8 does not take a module's top-level `var` for a constant. Each use of a scratch array or a
 * table in a hot loop then re-checks what it is and reloads its length and data pointer, every
 * iteration. Declared in a function that runs once, the same arrays are constants to V8 (it
 * specializes the code to that function's one context): a Chat user build takes ~15% less time,
 * its deflate ~30% less (docs/design.md, "Constants V8 can see"). Node's CommonJS files already
 * run in a function (Node's module wrapper).
 *
 * Only for modules whose exports are not reassigned after load (an export is read once, after
 * the code ran) and with no top-level `await`. Anything but the shape esbuild writes throws.
 *
 * @param {string} code the module's code
 * @param {string} name for the error message
 * @returns {string}
 */
export function functionScope(code, name) {
  const imports = importStatements(code);
  const exportList = /export\s*\{([^}]*)\};?\s*$/.exec(code);
  const specifiers = exportList ? exportList[1].split(',').map((s) => s.trim()).filter(Boolean) : [];
  if (!exportList || specifiers.some((s) => !/^[\w$]+(\s+as\s+[\w$]+)?$/.test(s))) {
    throw new Error(`${name}: not the shape the function-scope rewrite knows (imports, code, one export list at the end)`);
  }
  // Names the module imports and exports again are exported as they are.
  const imported = new Set(importedNames(imports));
  const locals = [...new Set(specifiers.map((s) => s.split(/\s+as\s+/)[0]))].filter((n) => !imported.has(n)).join(',');
  const body = code.slice(imports.length, exportList.index);
  return `${imports}\nconst{${locals}}=(()=>{${body};return{${locals}}})();\nexport{${specifiers.join(',')}};\n`;
}

/**
 * The import statements that open `code` (all of them: esbuild writes them first).
 * @param {string} code
 */
export function importStatements(code) {
  return new RegExp(`^(?:${IMPORT})*`).exec(code)[0];
}

/**
 * The local names import statements bind: `a` of `import a from`, `b` of `import * as b from`,
 * `c` and `e` of `import { c, d as e } from`.
 * @param {string} imports
 */
function importedNames(imports) {
  const names = [];
  for (const [, clause = ''] of imports.matchAll(new RegExp(IMPORT, 'g'))) {
    const braces = /\{([^}]*)\}/.exec(clause);
    for (const s of braces ? braces[1].split(',') : []) if (s.trim()) names.push(s.trim().split(/\s+as\s+/).pop());
    for (const s of clause.replace(/\{[^}]*\}/, '').split(',')) if (s.trim()) names.push(s.trim().replace(/^\*\s*as\s+/, ''));
  }
  return names;
}
