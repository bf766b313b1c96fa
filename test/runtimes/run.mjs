#!/usr/bin/env node
/**
 * `npm run test:runtimes`: the conformance subset (conformance.mjs) in every runtime, through the
 * package as an app gets it. The package is `npm pack`ed and unpacked into a scratch consumer
 * project (node_modules/agora-access-token2 + its dependencies), and each runtime loads it there:
 *
 *   node18…node24  `import` (harness.mjs) and `require` (harness.cjs); Node 20 is this node, the
 *                  others are installed on first use into ~/.cache/agora-access-token2-runtimes
 *                  (npm's node-<os>-<arch> packages: the plain binary, no install script)
 *   bun, deno      `import` (harness.mjs)
 *   workerd        a bundled Worker module (workerd.mjs, worker.mjs)
 *   chromium       a <script type="module"> page loading dist/browser (chromium.mjs, page.html)
 *
 * Each prints `RUNTIME: N passed, M failed`. A runtime that cannot run here is skipped with the
 * reason printed; under CI (CI=true) or AGORA_RUNTIMES_REQUIRE_ALL=1 a skip fails the run.
 * Environment: AGORA_RUNTIMES_CACHE (cache dir), CHROMIUM_PATH (default /usr/bin/chromium),
 * AGORA_RUNTIMES_KEEP=1 (keep the scratch project and print where it is).
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const HERE = fileURLToPath(new URL('./', import.meta.url));
const BIN = join(ROOT, 'node_modules', '.bin');
const CACHE = process.env.AGORA_RUNTIMES_CACHE ?? join(homedir(), '.cache', 'agora-access-token2-runtimes');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const REQUIRE_ALL = process.env.CI === 'true' || process.env.AGORA_RUNTIMES_REQUIRE_ALL === '1';
const NODE_MAJORS = [18, 20, 22, 24];
const RUN_TIMEOUT_MS = 180_000;
const HARNESS_FILES = ['conformance.mjs', 'harness.mjs', 'harness.cjs', 'cli-server.mjs', 'worker.mjs', 'page.html'];
const BUILD_OUTPUTS = ['dist/index.js', 'dist/index.cjs', 'dist/browser/agora-access-token2.js'];

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

/** npm's stdout, run without the variables `npm run` sets for this package (they would point it here). */
function npm(args, cwd = ROOT) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_(package|lifecycle)_|^npm_config_(local_)?prefix$/i.test(k)));
  return new Promise((resolve, reject) => {
    const child = spawn('npm', args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`npm ${args.join(' ')} failed (${code}): ${stderr.trim()}`))));
  });
}

function ensureBuilt() {
  if (BUILD_OUTPUTS.every((file) => existsSync(join(ROOT, file)))) return;
  console.log('dist/ is missing parts; running npm run build first');
  const build = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('npm run build failed');
}

/** A scratch project that depends on the packed tarball, with the harnesses and vectors beside it. */
async function stageConsumer() {
  const dir = mkdtempSync(join(tmpdir(), 'agora-access-token2-runtimes-'));
  const [{ filename }] = JSON.parse(await npm(['pack', '--json', '--ignore-scripts', '--pack-destination', dir]));
  const installed = join(dir, 'node_modules', 'agora-access-token2');
  mkdirSync(installed, { recursive: true });
  const untar = spawnSync('tar', ['-xzf', join(dir, filename), '-C', installed, '--strip-components=1']);
  if (untar.status !== 0) throw new Error(`tar failed: ${untar.stderr}`);
  // Its dependencies, as npm would install them: the checkout's own copies.
  const { dependencies = {} } = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8'));
  for (const name of Object.keys(dependencies)) {
    const target = join(dir, 'node_modules', name);
    mkdirSync(dirname(target), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules', name), target, 'dir');
  }
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ private: true, type: 'module' }));
  for (const file of HARNESS_FILES) cpSync(join(HERE, file), join(dir, file));
  cpSync(join(ROOT, 'fixtures', 'golden'), join(dir, 'golden'), { recursive: true });
  return dir;
}

/** The node binary for a major version: this one, or npm's node-<os>-<arch> package in the cache. */
async function nodeBinary(major) {
  if (Number(process.versions.node.split('.')[0]) === major) return { path: process.execPath, version: process.version };
  const os = { linux: 'linux', darwin: 'darwin' }[process.platform];
  if (!os) return { skip: `no node-<os>-<arch> package for ${process.platform}` };
  const pkg = `node-${os}-${process.arch}`;
  const prefix = join(CACHE, `node${major}`);
  const path = join(prefix, 'node_modules', pkg, 'bin', 'node');
  try {
    const installed = !existsSync(path);
    if (installed) {
      mkdirSync(prefix, { recursive: true });
      await npm(['install', '--prefix', prefix, '--no-audit', '--no-fund', '--loglevel=error', `${pkg}@${major}`]);
    }
    const version = versionOf(path);
    if (!version?.startsWith(`v${major}.`)) throw new Error(`${path} is ${version ?? 'not runnable'}`);
    return { path, version, installed };
  } catch (err) {
    return { skip: `could not install ${pkg}@${major} into ${prefix}: ${err.message.split('\n')[0]}` };
  }
}

/** `--version` of a tool, or null when it does not run. */
function versionOf(path, args = ['--version']) {
  if (!existsSync(path)) return null;
  const result = spawnSync(path, args, { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim().split('\n')[0] : null;
}

/** Runs one harness; resolves to its summary line, whether it passed, what to show if not, and its time. */
function runHarness(label, command, args, cwd) {
  return new Promise((resolve) => {
    const started = performance.now();
    // Its own process group, so that a timeout also ends what it started (workerd, Chromium).
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    child.stdout.on('data', (d) => { output += d; });
    child.stderr.on('data', (d) => { output += d; });
    const timer = setTimeout(() => { output += `\n  killed after ${seconds(RUN_TIMEOUT_MS)}`; process.kill(-child.pid, 'SIGKILL'); }, RUN_TIMEOUT_MS);
    const finish = (code) => {
      clearTimeout(timer);
      const match = output.match(new RegExp(`^${label}: (\\d+) passed, (\\d+) failed$`, 'm'));
      const ok = code === 0 && match !== null && match[2] === '0' && Number(match[1]) > 0;
      const line = match ? match[0] : `${label}: 0 passed, 1 failed`;
      const rest = output.split('\n').filter((l) => l.trim() && l !== line).map((l) => `  ${l.trim()}`);
      resolve({ line, ok, details: ok ? [] : [...rest.slice(0, 30), `  (exit code ${code})`], ms: performance.now() - started });
    };
    child.on('error', (err) => { output += `\n${err.message}`; finish(-1); });
    child.on('close', finish);
  });
}

async function main() {
  const started = performance.now();
  ensureBuilt();
  const consumer = await stageConsumer();
  const installStarted = performance.now();
  const nodes = await Promise.all(NODE_MAJORS.map(async (major) => ({ major, ...(await nodeBinary(major)) })));
  const installed = nodes.filter((n) => n.installed).map((n) => n.major);
  const installNote = installed.length ? `; installing Node ${installed.join(', ')} ${seconds(performance.now() - installStarted)}` : '';

  const bun = join(BIN, 'bun');
  const deno = join(BIN, 'deno');
  const workerd = join(BIN, 'workerd');
  const harnessArgs = (label, randomSource) => [label, join(consumer, 'golden'), randomSource];
  const missing = (tool, path) => `${path} does not run (is ${tool} installed, with its install script allowed in package.json "allowScripts"?)`;

  /** Each run: label, command + args (cwd = the scratch project), or a skip reason; version for the log. */
  const runs = [];
  for (const node of nodes) {
    // Node 18 has no globalThis.crypto: building without a salt must say so (ERR_NO_RANDOM_SOURCE).
    const randomSource = node.major < 19 ? 'absent' : 'present';
    for (const [kind, file] of [['esm', 'harness.mjs'], ['cjs', 'harness.cjs']]) {
      const label = `node${node.major}-${kind}`;
      runs.push(node.skip ? { label, skip: node.skip } : { label, version: node.version, command: node.path, args: [file, ...harnessArgs(label, randomSource)] });
    }
    // The CLI and the server entry, as that Node loads them (cli-server.mjs).
    const label = `node${node.major}-cli-server`;
    runs.push(node.skip ? { label, skip: node.skip } : { label, version: node.version, command: node.path, args: ['cli-server.mjs', label] });
  }
  const bunVersion = versionOf(bun);
  runs.push(bunVersion ? { label: 'bun', version: bunVersion, command: bun, args: ['harness.mjs', ...harnessArgs('bun', 'present')] } : { label: 'bun', skip: missing('bun', bun) });
  const denoVersion = versionOf(deno);
  runs.push(denoVersion
    ? { label: 'deno', version: denoVersion, command: deno, args: ['run', '--allow-read', '--no-lock', 'harness.mjs', ...harnessArgs('deno', 'present')] }
    : { label: 'deno', skip: missing('deno', deno) });
  const workerdVersion = versionOf(workerd);
  runs.push(workerdVersion
    ? { label: 'workerd', version: workerdVersion, command: process.execPath, args: [join(HERE, 'workerd.mjs'), 'workerd', consumer] }
    : { label: 'workerd', skip: missing('workerd', workerd) });
  const chromiumVersion = versionOf(CHROMIUM);
  runs.push(chromiumVersion
    ? { label: 'chromium', version: chromiumVersion, command: process.execPath, args: [join(HERE, 'chromium.mjs'), 'chromium', consumer, CHROMIUM] }
    : { label: 'chromium', skip: `${CHROMIUM} not found (Debian package chromium; .ci/run installs it)` });

  const versions = new Map(runs.filter((r) => r.version).map((r) => [r.label.replace(/-(esm|cjs|cli-server)$/, ''), r.version.match(/\d[\w.-]*/)[0]]));
  console.log(`versions: ${[...versions].map(([runtime, version]) => `${runtime} ${version}`).join(', ')}`);
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  const timings = [];
  for (const run of runs) {
    if (run.skip) {
      console.log(`${run.label}: skipped, ${run.skip}`);
      skipped++;
      continue;
    }
    const result = await runHarness(run.label, run.command, run.args, consumer);
    console.log(result.line);
    for (const line of result.details) console.log(line);
    timings.push(`${run.label} ${seconds(result.ms)}`);
    if (result.ok) passed++;
    else failed++;
  }

  if (process.env.AGORA_RUNTIMES_KEEP === '1') console.log(`scratch project kept: ${consumer}`);
  else rmSync(consumer, { recursive: true, force: true });
  console.log(`timings: ${timings.join(', ')}${installNote}; total ${seconds(performance.now() - started)}`);
  console.log(`runtimes: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
  if (failed > 0 || (skipped > 0 && REQUIRE_ALL)) {
    if (skipped > 0 && REQUIRE_ALL) console.log('a runtime was skipped and CI requires all of them');
    process.exitCode = 1;
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
