// Conformance harness for Node (ESM), Bun and Deno: loads the package by name, as an app would.
// Usage (run.mjs stages the package and copies this file next to its node_modules):
//   <runtime> harness.mjs <label> <golden dir> <present|absent>
import * as lib from 'agora-access-token2';
import * as compat from 'agora-access-token2/compat';
import { loadVectors, runConformance, summaryLine } from './conformance.mjs';

const [label, goldenDir, randomSource] = globalThis.Deno ? Deno.args : process.argv.slice(2);
const readText = globalThis.Deno
  ? (path) => Deno.readTextFileSync(path)
  : (await import('node:fs')).readFileSync.bind(null);

const vectors = await loadVectors((name) => JSON.parse(readText(`${goldenDir}/${name}`, 'utf8')));
const result = runConformance(lib, vectors, { randomSource, compat });
for (const failure of result.failures.slice(0, 20)) console.error(`  ${failure}`);
console.log(summaryLine(label, result));
if (result.failed > 0) (globalThis.Deno ?? process).exitCode = 1;
