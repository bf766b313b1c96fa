#!/usr/bin/env node
/**
 * `npm run check:package`: the package as it would be published (run after `npm run build`).
 *
 *  1. publint --strict reports nothing.
 *  2. are-the-types-wrong (`attw --pack .`) reports nothing for any subpath.
 *  3. The tarball (`npm pack --dry-run`) holds the build, the types, README, LICENSE and
 *     package.json only, and every file the manifest points to; its size is printed.
 *  4. Tree-shaking: an app that imports only ChatTokenBuilder2 (esbuild, minified, from the built
 *     ESM) carries no 006 code, no server, no client helpers and no CLI, and stays within
 *     CHAT_BUDGET_GZIP bytes min+gzip. Controls prove the detector: importing the 006 builder,
 *     the server or the client helpers pulls them in (the client helpers' size is printed).
 *  5. Every subpath loads by name from the checkout, with `require` and with `import`, and both
 *     give the same export names.
 *  6. `require` of the root loads a chunk only when one of its names is read: a Chat build loads
 *     no read-side code.
 *
 * Prints one line per check and `package: N passed, M failed`; exits non-zero on any failure.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

/**
 * Budget for the ChatTokenBuilder2-only bundle, bytes after minify + gzip. Measured 26.3 KB:
 * ~15 KB is pako (the fallback for payloads over 16 KB), ~11 KB ours, of which the unrolled
 * SHA-256 and the exact deflate's block-size bound buy a 2× faster build for ~2.4 KB.
 */
const CHAT_BUDGET_GZIP = 27 * 1024;
/** What must not be in the ChatTokenBuilder2-only bundle: the 006 format and builders, the server, the client helpers, the CLI. */
const FORBIDDEN_IN_CHAT = [
  ['006 code', /^dist\/(token006\/|builders\/(rtc|rtm)006\.js$)|node_modules\/crc-32\//],
  ['server', /^dist\/server\//],
  ['client', /^dist\/client\//],
  ['CLI', /^dist\/cli\.js$/],
];
/** Files the tarball may hold. */
const ALLOWED_IN_TARBALL = /^(package\.json|README\.md|LICENSE|dist\/.+\.(js|cjs|d\.ts|d\.cts))$/;

let passed = 0;
let failed = 0;
async function check(name, fn) {
  try {
    const { ok, lines } = await fn();
    console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}`);
    for (const line of lines) console.log(`     ${line}`);
    if (ok) passed++;
    else failed++;
  } catch (err) {
    console.log(`FAIL ${name}: ${err.stack ?? err}`);
    failed++;
  }
}

const run = (command, args) => spawnSync(command, args, { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;

/** Every file path the manifest points to (exports targets, main, module, types, typesVersions, bin). */
function manifestTargets() {
  const targets = new Set();
  const walk = (value) => {
    if (typeof value === 'string') targets.add(value.replace(/^\.\//, ''));
    else if (value && typeof value === 'object') Object.values(value).forEach(walk);
  };
  walk(pkg.exports);
  walk([pkg.main, pkg.module, pkg.types, pkg.bin]);
  walk(pkg.typesVersions);
  return [...targets];
}

/** Bundles `code` (an app importing the package by name) as a user would: minified ESM for browsers. */
async function bundle(code) {
  const result = await esbuild.build({
    stdin: { contents: code, resolveDir: ROOT, loader: 'js' },
    bundle: true, minify: true, format: 'esm', platform: 'browser', write: false, metafile: true, logLevel: 'error',
  });
  const text = result.outputFiles[0].contents;
  const inputs = Object.keys(Object.values(result.metafile.outputs)[0].inputs);
  return { min: text.length, gzip: gzipSync(text, { level: 9 }).length, inputs };
}
const forbiddenIn = (inputs) => FORBIDDEN_IN_CHAT.flatMap(([what, pattern]) => inputs.filter((i) => pattern.test(i)).map((i) => `${what}: ${i}`));

await check('publint --strict', async () => {
  const { messages } = await publint({ pkgDir: ROOT, strict: true, pack: 'npm' });
  return {
    ok: messages.length === 0,
    lines: messages.length ? messages.map((m) => `${m.type}: ${formatMessage(m, pkg, { color: false })}`) : ['All good'],
  };
});

await check('attw (are the types wrong) on the packed tarball', () => {
  // Pack without lifecycle scripts (the `prepare` build already ran), then check that tarball.
  const dir = mkdtempSync(join(tmpdir(), 'aat2-attw-'));
  const pack = run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dir]);
  if (pack.status !== 0) return { ok: false, lines: [pack.stderr] };
  const tarball = join(dir, JSON.parse(pack.stdout)[0].filename);
  const attw = run(join(ROOT, 'node_modules', '.bin', 'attw'), [tarball, '--format', 'table-flipped', '--no-emoji', '--no-color']);
  rmSync(dir, { recursive: true, force: true });
  const lines = `${attw.stdout}${attw.stderr}`.split('\n').filter((l) => l.trim() && !/^Packing files/.test(l));
  return { ok: attw.status === 0, lines };
});

await check('tarball: build, types, README, LICENSE only; every manifest target present', () => {
  const pack = run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts']);
  if (pack.status !== 0) return { ok: false, lines: [pack.stderr] };
  const [{ filename, size, unpackedSize, entryCount, files }] = JSON.parse(pack.stdout);
  const paths = files.map((f) => f.path);
  const stray = paths.filter((p) => !ALLOWED_IN_TARBALL.test(p));
  const missing = manifestTargets().filter((t) => !paths.includes(t));
  const required = ['package.json', 'README.md', 'LICENSE', 'dist/browser/agora-access-token2.js', 'dist/browser/page.js'].filter((p) => !paths.includes(p));
  return {
    ok: stray.length === 0 && missing.length === 0 && required.length === 0,
    lines: [
      `${filename}: ${kb(size)} packed, ${kb(unpackedSize)} unpacked, ${entryCount} files`,
      ...stray.map((p) => `not allowed in the tarball: ${p}`),
      ...missing.map((p) => `manifest points to a file not in the tarball: ${p}`),
      ...required.map((p) => `missing from the tarball: ${p}`),
    ],
  };
});

await check(`tree-shaking: ChatTokenBuilder2 alone has no 006 code, server or CLI, and fits ${kb(CHAT_BUDGET_GZIP)} min+gzip`, async () => {
  const app = "import { ChatTokenBuilder2 } from 'agora-access-token2'; console.log(ChatTokenBuilder2.buildAppToken('', '', 0));";
  const chat = await bundle(app);
  const pakoBytes = chat.inputs.filter((i) => i.includes('node_modules/pako/'));
  const ownCode = await esbuild.build({
    stdin: { contents: app, resolveDir: ROOT, loader: 'js' },
    bundle: true, minify: true, format: 'esm', platform: 'browser', write: false, external: ['pako'], logLevel: 'error',
  }).then((r) => gzipSync(r.outputFiles[0].contents, { level: 9 }).length);
  const leaked = forbiddenIn(chat.inputs);
  return {
    ok: leaked.length === 0 && chat.gzip <= CHAT_BUDGET_GZIP,
    lines: [
      `ChatTokenBuilder2 only: ${chat.min} B minified, ${chat.gzip} B min+gzip (budget ${CHAT_BUDGET_GZIP} B); without pako ${ownCode} B min+gzip`,
      `modules: ${chat.inputs.filter((i) => i !== '<stdin>').length}${pakoBytes.length ? ' (includes pako, the large-payload deflate fallback)' : ''}`,
      ...leaked.map((l) => `must not be in it: ${l}`),
    ],
  };
});

await check('tree-shaking controls: the detector sees the 006 builder, the server and the client helpers when they are imported', async () => {
  const lines = [];
  const rtc006 = await bundle("import { RtcTokenBuilder } from 'agora-access-token2'; console.log(RtcTokenBuilder);");
  const seen006 = forbiddenIn(rtc006.inputs).some((l) => l.startsWith('006 code'));
  lines.push(`RtcTokenBuilder (006): ${seen006 ? 'seen' : 'NOT seen'} (${rtc006.gzip} B min+gzip)`);
  let seenServer = true;
  if (pkg.exports['./server']) {
    const server = await bundle("import * as server from 'agora-access-token2/server'; console.log(server);");
    seenServer = forbiddenIn(server.inputs).some((l) => l.startsWith('server'));
    lines.push(`agora-access-token2/server: ${seenServer ? 'seen' : 'NOT seen'} (${server.gzip} B min+gzip)`);
  } else {
    lines.push('agora-access-token2/server: not exported yet, control skipped');
  }
  const client = await bundle("import { keepChatTokenFresh } from 'agora-access-token2/client'; console.log(keepChatTokenFresh);");
  const seenClient = forbiddenIn(client.inputs).some((l) => l.startsWith('client'));
  const sdkInClient = client.inputs.filter((i) => /node_modules\/agora-(chat|rtc-sdk-ng|rtm-sdk)\//.test(i));
  lines.push(`agora-access-token2/client (keepChatTokenFresh): ${seenClient ? 'seen' : 'NOT seen'} (${client.gzip} B min+gzip, no SDK inside: ${sdkInClient.length === 0})`);
  return { ok: seen006 && seenServer && seenClient && sdkInClient.length === 0, lines };
});

await check('every subpath loads by name from the checkout (require and import give the same names)', () => {
  const lines = [];
  let ok = true;
  for (const subpath of Object.keys(pkg.exports).filter((s) => s !== './package.json')) {
    const specifier = `${pkg.name}${subpath.slice(1)}`;
    const cjs = run(process.execPath, ['-p', `Object.keys(require(${JSON.stringify(specifier)})).sort().join(',')`]);
    const esm = run(process.execPath, ['--input-type=module', '-e', `console.log(Object.keys(await import(${JSON.stringify(specifier)})).sort().join(','))`]);
    const same = cjs.status === 0 && esm.status === 0 && cjs.stdout.trim() === esm.stdout.trim() && cjs.stdout.trim() !== '';
    if (!same) ok = false;
    const count = cjs.stdout.trim().split(',').filter(Boolean).length;
    lines.push(same ? `${specifier}: ${count} exports` : `${specifier}: require ${cjs.status === 0 ? cjs.stdout.trim() : cjs.stderr.split('\n')[0]} / import ${esm.status === 0 ? esm.stdout.trim() : esm.stderr.split('\n')[0]}`);
  }
  if (!existsSync(join(ROOT, 'dist', 'index.js'))) lines.push('dist/ is missing: run npm run build first');
  return { ok, lines };
});

await check('require loads the read side only when one of its names is read (dist/node/index.cjs, see tsup.config.ts)', () => {
  // A Chat build must not load the decoder, the inflater or the 006 code; reading verifyToken
  // loads them, and the name is then a plain data property (stubs and reassignment still work).
  const script = `
    const chunks = () => Object.keys(require.cache).filter((k) => k.includes('dist/node/')).map((k) => k.split('/').pop()).sort();
    const m = require(${JSON.stringify(pkg.name)});
    const atRequire = chunks();
    const token = m.ChatTokenBuilder2.buildUserToken('970CA35de60c44645bbae8a215061b33', '5CFd2fd1755d40ecb72977518be15d3b', 'alice', 3600);
    const afterBuild = chunks();
    const verified = m.verifyToken(token, '5CFd2fd1755d40ecb72977518be15d3b').services[0].userId;
    const afterVerify = chunks();
    const descriptor = Object.getOwnPropertyDescriptor(m, 'verifyToken');
    console.log(JSON.stringify({ atRequire, afterBuild, afterVerify, verified, data: 'value' in descriptor && descriptor.writable }));`;
  const r = run(process.execPath, ['-e', script]);
  if (r.status !== 0) return { ok: false, lines: [r.stderr.split('\n').slice(0, 3).join(' ')] };
  const { atRequire, afterBuild, afterVerify, verified, data } = JSON.parse(r.stdout);
  const ok = atRequire.join() === 'index.cjs' && afterBuild.length === 2 && afterVerify.length === 3 && verified === 'alice' && data;
  return { ok, lines: [`at require: ${atRequire.join(', ')}; after a Chat build: ${afterBuild.join(', ')}; after a verify: ${afterVerify.join(', ')}`] };
});

console.log(`package: ${passed} passed, ${failed} failed`);
if (failed > 0) process.exitCode = 1;
