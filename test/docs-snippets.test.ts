/**
 * Every code block in README.md and docs/*.md (not docs/api) is executed here, so the docs
 * cannot rot.
 *
 * - ```ts / ```js blocks are bundled with esbuild against the source (`agora-access-token2`,
 *   `agora-access-token2/server` and `agora-access-token2/compat` resolve to src/; other
 *   packages resolve from node_modules) and run with Node in a child process. A prelude gives
 *   them test credentials: the globals `appId` and `appCertificate`, and the environment
 *   variables `AGORA_APP_ID` / `AGORA_APP_CERTIFICATE`. A block that uses `require` and no
 *   `import` runs as CommonJS. Blocks run from the repository root. ```ts blocks are also
 *   type-checked (strict).
 * - ```sh / ```bash / ```shell blocks run in bash (`set -euo pipefail`) with the same
 *   environment; `npx agora-access-token2` runs the CLI built from src/cli/main.ts.
 * - ```text / ```json / ```http / ```diff blocks are output, data or wire formats: not code.
 *   Any other language fails the test, so every block is either run or explicitly skipped.
 * - A block that cannot run is marked right before it with `<!-- snippet: skip <reason> -->`
 *   (the reason is required and printed).
 * - A ```text block marked `<!-- snippet: output -->` is the expected stdout of the block
 *   before it: line for line, where `…` matches anything within a line (times, tokens).
 *
 * The test prints how many blocks ran and how many were skipped, and why.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const work = join(root, 'test-output', 'docs-snippets');

/** Test credentials the snippets run with (Agora's public sample values, not a real project). */
const TEST_APP_ID = '970ca35de60c44645bbae8a215061b33';
const TEST_APP_CERTIFICATE = '5cfd2fd1755d40ecb72977518be15d3b';

const RUN_JS = new Set(['ts', 'typescript', 'js', 'javascript', 'mjs', 'cjs']);
const RUN_SH = new Set(['sh', 'bash', 'shell']);
const NOT_CODE = new Set(['text', 'json', 'http', 'diff']);
const TIMEOUT_MS = 30_000;
const CONCURRENCY = 2;

interface Snippet {
  /** Path relative to the repository root. */
  file: string;
  /** 1-based line of the opening fence. */
  line: number;
  lang: string;
  code: string;
  skip?: string;
  /** Expected stdout, from a following `<!-- snippet: output -->` block. */
  expected?: string;
  /** Set when the block is malformed (unknown language, skip without reason). */
  problem?: string;
}

/** The markdown files whose blocks must run: README.md and docs/*.md (not docs/api). */
function docFiles(): string[] {
  const docs = readdirSync(join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => `docs/${name}`);
  return ['README.md', ...docs];
}

/** Fenced code blocks of one markdown file, with the skip marker right before each. */
function extractSnippets(file: string, text: string): Snippet[] {
  const lines = text.split('\n');
  const snippets: Snippet[] = [];
  let pendingSkip: string | undefined;
  let pendingSkipProblem: string | undefined;
  let pendingOutput = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (/^<!--\s*snippet:\s*output\s*-->$/.test(line.trim())) {
      pendingOutput = true;
      continue;
    }
    const marker = /^<!--\s*snippet:\s*skip\b(.*?)-->\s*$/.exec(line.trim());
    if (marker) {
      pendingSkip = marker[1].trim();
      pendingSkipProblem = pendingSkip ? undefined : 'skip marker without a reason';
      continue;
    }
    const fence = /^(\s*)(```+|~~~+)\s*([\w+-]*)/.exec(line);
    if (!fence) {
      // Only blank lines may stand between a skip marker and its block.
      if (line.trim() !== '') {
        pendingSkip = pendingSkipProblem = undefined;
        pendingOutput = false;
      }
      continue;
    }
    const [, indent, ticks, langRaw] = fence;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const close = lines[j].trimStart();
      if (close.startsWith(ticks) && close.slice(ticks.length).trim() === '') break;
      body.push(lines[j].startsWith(indent) ? lines[j].slice(indent.length) : lines[j]);
    }
    const lang = langRaw.toLowerCase();
    const snippet: Snippet = { file, line: i + 1, lang, code: body.join('\n') };
    if (pendingOutput) {
      pendingOutput = false;
      const previous = snippets[snippets.length - 1];
      if (lang !== 'text') snippet.problem = 'an output marker must stand before a ```text block';
      else if (!previous || previous.skip !== undefined || previous.problem) {
        snippet.problem = 'an output block must follow a block that runs';
      } else {
        previous.expected = snippet.code;
        i = j;
        continue;
      }
    }
    if (pendingSkipProblem) snippet.problem = pendingSkipProblem;
    else if (pendingSkip !== undefined) snippet.skip = pendingSkip;
    else if (!RUN_JS.has(lang) && !RUN_SH.has(lang) && !NOT_CODE.has(lang)) {
      snippet.problem = lang
        ? `\`\`\`${lang} is neither run nor declared as output; use ts/js/sh, text/json, or mark it <!-- snippet: skip reason -->`
        : 'a code block without a language; say ts/js/sh (run) or text/json (not code)';
    }
    if (!NOT_CODE.has(lang) || snippet.problem) snippets.push(snippet);
    pendingSkip = pendingSkipProblem = undefined;
    i = j;
  }
  return snippets;
}

const snippets = docFiles().flatMap((file) => extractSnippets(file, readFileSync(join(root, file), 'utf8')));
const label = (s: Snippet) => `${s.file}:${s.line} (${s.lang || 'no language'})`;
const slug = (s: Snippet) => `${s.file.replace(/[^\w]+/g, '_')}_L${s.line}`;

/** Resolves this package's own entry points to the source, so snippets run against src/. */
const packageToSource: Plugin = {
  name: 'agora-access-token2-source',
  setup(b) {
    const entries: Record<string, string> = {
      'agora-access-token2': 'src/index.ts',
      'agora-access-token2/server': 'src/server/index.ts',
      'agora-access-token2/compat': 'src/compat.ts',
      'agora-access-token2/client': 'src/client/index.ts',
    };
    b.onResolve({ filter: /^agora-access-token2(\/[\w-]+)?$/ }, (args) => {
      const file = entries[args.path];
      if (!file || !existsSync(join(root, file))) return { errors: [{ text: `${args.path} is not an entry point of this package` }] };
      return { path: join(root, file) };
    });
  },
};

const prelude = [
  `globalThis.appId = process.env.AGORA_APP_ID;`,
  `globalThis.appCertificate = process.env.AGORA_APP_CERTIFICATE;`,
].join('\n');

function isCommonJs(code: string): boolean {
  return /\brequire\(/.test(code) && !/^\s*(import|export)\s/m.test(code);
}

async function bundle(entry: string, outfile: string, format: 'esm' | 'cjs', banner = ''): Promise<void> {
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format,
    target: 'node18',
    packages: 'external',
    plugins: [packageToSource],
    banner: { js: banner },
    logLevel: 'silent',
  });
}

interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], cwd: string): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      {
        cwd,
        timeout: TIMEOUT_MS,
        maxBuffer: 8 * 1024 * 1024,
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          AGORA_APP_ID: TEST_APP_ID,
          AGORA_APP_CERTIFICATE: TEST_APP_CERTIFICATE,
          NO_COLOR: '1',
        },
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) + (error && code === null ? `\n${error.message}` : '') });
      },
    );
  });
}

// Two cores: run at most CONCURRENCY snippets at a time.
let active = 0;
const waiting: (() => void)[] = [];
async function limited<T>(task: () => Promise<T>): Promise<T> {
  if (active >= CONCURRENCY) await new Promise<void>((resolve) => waiting.push(resolve));
  active++;
  try {
    return await task();
  } finally {
    active--;
    waiting.shift()?.();
  }
}

/** GitHub's anchors for the headings of a markdown text. */
function headingSlugs(text: string): Set<string> {
  const slugs = new Set<string>();
  for (const [, heading] of text.replace(/```[\s\S]*?```/g, '').matchAll(/^#{1,6}\s+(.+)$/gm)) {
    const base = heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
    let slug = base;
    for (let n = 1; slugs.has(slug); n++) slug = `${base}-${n}`;
    slugs.add(slug);
  }
  return slugs;
}

/** Compares stdout with the documented output: line for line, `…` matching anything. */
function expectOutput(s: Snippet, stdout: string): void {
  const actual = stdout.replace(/\s+$/, '').split('\n').map((line) => line.trimEnd());
  const expected = s.expected!.replace(/\s+$/, '').split('\n').map((line) => line.trimEnd());
  const pattern = (line: string) =>
    new RegExp(`^${line.split('…').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  const mismatch = expected.findIndex((line, k) => k >= actual.length || !pattern(line).test(actual[k]));
  if (mismatch !== -1 || actual.length !== expected.length) {
    expect.fail(`${label(s)}: output differs from the documented output${mismatch !== -1 ? ` at line ${mismatch + 1}` : ''}\n--- documented ---\n${s.expected}\n--- actual ---\n${stdout}`);
  }
}

let cli: string | undefined;
const ran: Snippet[] = [];

async function runJs(s: Snippet): Promise<RunResult> {
  const commonJs = isCommonJs(s.code);
  const source = join(work, `${slug(s)}.${s.lang.startsWith('t') ? 'ts' : 'js'}`);
  const out = join(work, `${slug(s)}.${commonJs ? 'cjs' : 'mjs'}`);
  writeFileSync(source, s.code);
  await bundle(source, out, commonJs ? 'cjs' : 'esm', prelude);
  // From the repository root, so that blocks may read files such as fixtures/golden/*.json.
  return run(process.execPath, [out], root);
}

async function runSh(s: Snippet): Promise<RunResult> {
  if (/\bnpx agora-access-token2\b/.test(s.code) && !cli) {
    throw new Error('this block runs the CLI, but src/cli/main.ts does not exist');
  }
  const script = join(work, `${slug(s)}.sh`);
  const code = cli ? s.code.replace(/\bnpx agora-access-token2\b/g, `node ${JSON.stringify(cli)}`) : s.code;
  writeFileSync(script, `set -euo pipefail\n${code}\n`);
  return run('bash', [script], root);
}

beforeAll(async () => {
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  if (existsSync(join(root, 'src/cli/main.ts'))) {
    cli = join(work, 'cli.mjs');
    await bundle(join(root, 'src/cli/main.ts'), cli, 'esm');
  }
});

afterAll(() => {
  const skipped = snippets.filter((s) => s.skip !== undefined);
  const lines = [
    `docs snippets: ${ran.length} ran (${ran.filter((s) => RUN_JS.has(s.lang)).length} ts/js, ` +
      `${ran.filter((s) => RUN_SH.has(s.lang)).length} shell), ${skipped.length} skipped, ` +
      `from ${new Set(snippets.map((s) => s.file)).size} files`,
    ...skipped.map((s) => `  skipped ${label(s)}: ${s.skip}`),
  ];
  console.log(lines.join('\n'));
});

describe('documentation code blocks', () => {
  it('finds code blocks in the README and the guides', () => {
    expect(snippets.filter((s) => s.file === 'README.md').length).toBeGreaterThan(0);
    expect(snippets.filter((s) => s.file.startsWith('docs/')).length).toBeGreaterThan(0);
  });

  for (const s of snippets) {
    if (s.problem) {
      it(`${label(s)} is well-formed`, () => {
        expect.fail(`${label(s)}: ${s.problem}`);
      });
    } else if (s.skip !== undefined) {
      it.skip(`${label(s)} — skipped: ${s.skip}`, () => {});
    } else {
      it.concurrent(`${label(s)} runs`, async () => {
        const result = await limited(() => (RUN_SH.has(s.lang) ? runSh(s) : runJs(s)));
        if (result.code !== 0) {
          expect.fail(
            `${label(s)} exited with ${result.code}\n--- block ---\n${s.code}\n--- stdout ---\n${result.stdout}\n--- stderr ---\n${result.stderr}`,
          );
        }
        if (s.expected !== undefined) expectOutput(s, result.stdout);
        ran.push(s);
      }, TIMEOUT_MS + 10_000);
    }
  }

  it('relative links in the README and the guides point at files and headings that exist', () => {
    const broken: string[] = [];
    for (const file of docFiles()) {
      const text = readFileSync(join(root, file), 'utf8').replace(/```[\s\S]*?```/g, '');
      for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/i.test(target)) continue; // http:, https:, mailto:
        const [path, anchor] = target.split('#');
        const resolved = path ? join(root, dirname(file), path) : join(root, file);
        if (!existsSync(resolved)) {
          broken.push(`${file}: ${target} (no such file)`);
        } else if (anchor && resolved.endsWith('.md') && !headingSlugs(readFileSync(resolved, 'utf8')).has(anchor)) {
          broken.push(`${file}: ${target} (no such heading)`);
        }
      }
    }
    expect(broken).toEqual([]);
  });

  it('the README error table lists every TokenError code, and no other', () => {
    const union = readFileSync(join(root, 'src/base/errors.ts'), 'utf8').match(/export type TokenErrorCode =([^;]*);/);
    expect(union, 'TokenErrorCode union in src/base/errors.ts').not.toBeNull();
    const codes = [...union![1].matchAll(/'(ERR_[A-Z0-9_]+)'/g)].map((m) => m[1]).sort();
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const table = [...readme.matchAll(/^\| `(ERR_[A-Z0-9_]+)` \|/gm)].map((m) => m[1]).sort();
    expect(table).toEqual(codes);
  });

  it('type-checks every ```ts block (strict)', async () => {
    const tsBlocks = snippets.filter((s) => !s.skip && !s.problem && (s.lang === 'ts' || s.lang === 'typescript'));
    const dir = join(work, 'typecheck');
    mkdirSync(dir, { recursive: true });
    const files = tsBlocks.map((s) => {
      const file = join(dir, `${slug(s)}.ts`);
      // `export {}` makes each block a module, so blocks do not share top-level names.
      writeFileSync(file, `${s.code}\nexport {};\n`);
      return { file, snippet: s };
    });
    writeFileSync(join(dir, 'globals.d.ts'), 'declare var appId: string;\ndeclare var appCertificate: string;\n');
    const src = (p: string) => relative(dir, join(root, p));
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
      compilerOptions: {
        strict: true,
        target: 'ES2022',
        module: 'ESNext',
        moduleResolution: 'Bundler',
        lib: ['ES2022', 'DOM'],
        types: ['node'],
        noEmit: true,
        skipLibCheck: true,
        esModuleInterop: true,
        allowJs: false,
        paths: {
          'agora-access-token2': [src('src/index.ts')],
          'agora-access-token2/server': [src('src/server/index.ts')],
          'agora-access-token2/compat': [src('src/compat.ts')],
          'agora-access-token2/client': [src('src/client/index.ts')],
        },
      },
      files: ['globals.d.ts', ...files.map((f) => relative(dir, f.file))],
    }, null, 2));
    const result = await limited(() =>
      run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(dir, 'tsconfig.json'), '--pretty', 'false'], dir));
    // Every error tsc reports counts, except those in src/ (paths that leave this directory):
    // src/ has its own typecheck step. A block's error names the block.
    const reported = result.stdout.split('\n').filter((line) => /(^|: )error TS\d+/.test(line));
    const located = reported.filter((line) => !line.startsWith('../')).map((line) => {
      const name = /^([\w.-]+\.ts)\(\d+,\d+\): error/.exec(line)?.[1];
      const entry = name === undefined ? undefined : files.find((f) => f.file.endsWith(`/${name}`));
      return entry ? `${label(entry.snippet)}: ${line.slice(name!.length)}` : line;
    });
    expect(located).toEqual([]);
    // tsc itself ran: it failed only by reporting errors (a tsc that did not start reports none).
    expect(result.code === 0 || reported.length > 0, `tsc exited ${result.code}: ${result.stderr}`).toBe(true);
    expect(tsBlocks.length).toBeGreaterThan(0);
  }, 120_000);
});
