#!/usr/bin/env node
// `npm run docs:check`: regenerates the API reference into a temporary directory with the same
// typedoc.json as `npm run docs` and fails when docs/api differs from it (a file added, removed
// or changed), so the committed reference can never drift from the TSDoc in src/.
// Generation is deterministic: no timestamps, no source links, no git revisions (typedoc.json
// sets disableSources and hideGenerator).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const committed = join(root, 'docs', 'api');

function listFiles(dir) {
  const files = [];
  const walk = (d) => {
    for (const name of readdirSync(d).sort()) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.push(relative(dir, path));
    }
  };
  try {
    walk(dir);
  } catch (err) {
    if (err.code !== 'ENOENT') throw err;
  }
  return files;
}

const out = mkdtempSync(join(tmpdir(), 'agora-access-token2-docs-'));
try {
  try {
    // typedoc.json treats warnings as errors, so a missing TSDoc fails here too.
    execFileSync(process.execPath, [join(root, 'node_modules', 'typedoc', 'bin', 'typedoc'), '--out', out], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      encoding: 'utf8',
    });
  } catch (err) {
    process.stderr.write(String(err.stdout ?? '') + String(err.stderr ?? ''));
    console.error('docs:check: typedoc failed (see above); fix the TSDoc in src/ and run `npm run docs`.');
    process.exit(1);
  }

  const fresh = listFiles(out);
  const current = listFiles(committed);
  const freshSet = new Set(fresh);
  const currentSet = new Set(current);
  const problems = [];
  for (const file of fresh) {
    if (!currentSet.has(file)) problems.push(`missing from docs/api: ${file}`);
    else if (readFileSync(join(out, file), 'utf8') !== readFileSync(join(committed, file), 'utf8')) {
      problems.push(`out of date: docs/api/${file}`);
    }
  }
  for (const file of current) if (!freshSet.has(file)) problems.push(`no longer generated: docs/api/${file}`);

  if (problems.length > 0) {
    console.error(problems.map((p) => `  ${p}`).join('\n'));
    console.error(`docs:check: docs/api is out of date with src/ (${problems.length} file(s)); run \`npm run docs\` and commit docs/api.`);
    process.exit(1);
  }
  console.log(`docs:check: docs/api is in sync with src/ (${fresh.length} files)`);
} finally {
  rmSync(out, { recursive: true, force: true });
}
