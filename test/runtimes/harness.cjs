// Conformance harness for Node's CommonJS loader: `require('agora-access-token2')`, as a CJS app would.
// Usage: node harness.cjs <label> <golden dir> <present|absent>
const lib = require('agora-access-token2');
const compat = require('agora-access-token2/compat');
const { readFileSync } = require('node:fs');

const [label, goldenDir, randomSource] = process.argv.slice(2);

import('./conformance.mjs').then(async ({ loadVectors, runConformance, summaryLine }) => {
  const vectors = await loadVectors((name) => JSON.parse(readFileSync(`${goldenDir}/${name}`, 'utf8')));
  const result = runConformance(lib, vectors, { randomSource, compat });
  for (const failure of result.failures.slice(0, 20)) console.error(`  ${failure}`);
  console.log(summaryLine(label, result));
  if (result.failed > 0) process.exitCode = 1;
});
