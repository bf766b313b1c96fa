import { createHmac } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { base64Scratch } from '../src/bytes/base64';
import * as zlibScratch from '../src/zlib/scratch';
import { hmacScratch } from '../src/crypto/hmac';
import { sha256Scratch } from '../src/crypto/sha256';
import {
  ChatTokenBuilder2, RtcTokenBuilder, RtcTokenBuilder2, RtmTokenBuilder2, decodeToken, verifyToken,
} from '../src/index';
import { packScratch } from '../src/token007/pack';
import { pack006Scratch } from '../src/token006/access-token';
import { signatureScratch } from '../src/token007/signature';

const SRC = fileURLToPath(new URL('../src/', import.meta.url));

/**
 * The one place that lists module-level state allowed under src/ (outside src/cli and
 * src/server): scratch that no call leaves anything in that a later call depends on. Each is
 * documented where it is declared; those that ever hold key material are zeroed before the call
 * that used them returns (the second test below checks it).
 */
const SCRATCH_REGISTRY: Readonly<Record<string, readonly string[]>> = {
  // A block of message words; zeroed at the end of absorbFinal (it hashes the certificate).
  // Which compression function runs (the compact loop for the first blocks): never a digest.
  'crypto/sha256.ts': ['W', 'compressor'],
  // Key words, pad block, MAC words, digest block: zeroed by each method before it returns.
  'crypto/hmac.ts': ['keyWords', 'ipadBlock', 'opadBlock', 'macWords', 'digestBlock'],
  // The one-call signer: set, used and wiped within one signOnce.
  'token007/signature.ts': ['scratchSigner'],
  // Privilege ids being sorted (public), and the one-call writer (public token bytes, wiped after each build).
  'token007/pack.ts': ['idScratch', 'ONE_CALL'],
  // The one-call 006 writer (public signed text and token bytes; the certificate never goes through it).
  'token006/access-token.ts': ['scratch006', 'key006'],
  // Token text and bytes (public), and views of them made once per length.
  'bytes/base64.ts': ['smallScratch', 'smallViews', 'decodeScratch', 'decodeViews'],
  // 1,024 salts drawn at once from the CSPRNG (salts are public: every token carries its own).
  'args/random.ts': ['saltPool', 'saltIndex'],
  // The fixed-code decoding tables: built by the first fixed block inflated, then constant.
  'zlib/inflate.ts': ['FIXED'],
  // A DataView of DEFLATE_WINDOW (scratch, below): no memory of its own, only read through.
  'zlib/deflate.ts': ['WINDOW_PAIRS'],
  // src/zlib's scratch arrays, each exported from here (zlibScratch() lists them; tested below).
  'zlib/scratch.ts': Object.entries(zlibScratch).filter(([, value]) => typeof value === 'object').map(([name]) => name),
};

// src/cli, src/server and src/page are applications (a process, a server, a web page), whose
// state is theirs by design.
const EXCLUDED = [/^cli\//, /^server\//, /^page\//];

function sourceFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    const rel = prefix + name;
    return statSync(full).isDirectory() ? sourceFiles(full, `${rel}/`) : rel.endsWith('.ts') ? [rel] : [];
  });
}

const MUTATORS = new Set(['set', 'push', 'fill', 'add', 'delete', 'clear', 'splice', 'pop', 'shift', 'unshift', 'sort', 'reverse', 'copyWithin', 'reset', 'wipe']);

/** An initializer that makes a mutable object: `new X()` (but text codecs), `[]`, `{}` not frozen. */
function holdsMutable(init: ts.Expression | undefined): boolean {
  if (init === undefined) return false;
  let e = init;
  while (ts.isAsExpression(e) || ts.isSatisfiesExpression(e) || ts.isParenthesizedExpression(e)) {
    if (ts.isAsExpression(e) && e.type.getText() === 'const') return false;
    e = e.expression;
  }
  if (ts.isNewExpression(e)) return !/^Text(En|De)coder$/.test(e.expression.getText());
  if (ts.isCallExpression(e) && /(^|\.)(fill|map|from|fromEntries)$/.test(e.expression.getText())) return !/^Object\.freeze/.test(e.getText());
  return ts.isArrayLiteralExpression(e) || ts.isObjectLiteralExpression(e);
}

function isReadOnlyUse(id: ts.Identifier): boolean {
  const parent = id.parent;
  if (ts.isElementAccessExpression(parent) && parent.expression === id) return true; // NAME[i] (writes caught above)
  if (ts.isPropertyAccessExpression(parent) && parent.expression === id && parent.name.text === 'length') return true;
  if (ts.isBinaryExpression(parent) && /^(===|!==)$/.test(parent.operatorToken.getText())) return true; // identity test
  if (/^[A-Z][A-Z0-9_]*$/.test(id.text) && ts.isCallExpression(parent) && parent.arguments.includes(id)) return true;
  if (ts.isPropertyAccessExpression(parent) && parent.expression === id) return !MUTATORS.has(parent.name.text); // NAME.method() reads
  return false;
}

/** Module-level bindings that are `let`/`var`, or consts written to (or mutated) inside a function. */
function moduleState(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(join(SRC, file), 'utf8'), ts.ScriptTarget.ES2022, true);
  const found = new Set<string>();
  const consts = new Set<string>();
  for (const statement of source.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    const isConst = (statement.declarationList.flags & ts.NodeFlags.Const) !== 0;
    for (const declaration of statement.declarationList.declarations) {
      if (!ts.isIdentifier(declaration.name)) continue;
      if (!isConst) found.add(declaration.name.text);
      else if (holdsMutable(declaration.initializer)) consts.add(declaration.name.text);
    }
  }
  const rootOf = (node: ts.Expression): ts.Expression => {
    let n = node;
    while (ts.isPropertyAccessExpression(n) || ts.isElementAccessExpression(n)) n = n.expression;
    return n;
  };
  const visit = (node: ts.Node, inFunction: boolean): void => {
    const inside = inFunction || ts.isFunctionLike(node);
    if (inside) {
      // NAME[i] = …, NAME.x = …, NAME[i] ??= …, NAME[i]++
      if (ts.isBinaryExpression(node) && node.operatorToken.kind >= ts.SyntaxKind.FirstAssignment
        && node.operatorToken.kind <= ts.SyntaxKind.LastAssignment
        && (ts.isElementAccessExpression(node.left) || ts.isPropertyAccessExpression(node.left))) {
        const root = rootOf(node.left);
        if (ts.isIdentifier(root) && consts.has(root.text)) found.add(root.text);
      }
      if ((ts.isPostfixUnaryExpression(node) || ts.isPrefixUnaryExpression(node))
        && (ts.isElementAccessExpression(node.operand) || ts.isPropertyAccessExpression(node.operand))) {
        const root = rootOf(node.operand);
        if (ts.isIdentifier(root) && consts.has(root.text)) found.add(root.text);
      }
      // NAME.set(…), NAME.push(…), NAME.x.fill(…) …
      if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && MUTATORS.has(node.expression.name.text)) {
        const root = rootOf(node.expression.expression);
        if (ts.isIdentifier(root) && consts.has(root.text)) found.add(root.text);
      }
      // Any other use of a mutable module-level object in a function: handed to a callee (which
      // may write it) or called. Element reads are fine; so are SCREAMING_CASE tables (filled
      // once at load: writes to them are caught above) passed along for reading.
      if (ts.isIdentifier(node) && consts.has(node.text) && !isReadOnlyUse(node)) found.add(node.text);
    }
    ts.forEachChild(node, (child) => visit(child, inside));
  };
  visit(source, false);
  return [...found].sort();
}

describe('no hidden module state in the core', () => {
  const files = sourceFiles(SRC).filter((f) => !EXCLUDED.some((re) => re.test(f)));

  it('reads the core sources, and the detector sees state it is shown', () => {
    expect(files.length).toBeGreaterThan(30);
    expect(moduleState('args/random.ts')).toEqual(['saltIndex', 'saltPool']);
  });

  it.each(files)('%s declares no module-level mutable state outside the scratch registry', (file) => {
    const allowed = SCRATCH_REGISTRY[file] ?? [];
    expect(moduleState(file).filter((name) => !allowed.includes(name))).toEqual([]);
  });

  it('every registry entry is a module-level declaration of its file (the list stays true)', () => {
    for (const [file, names] of Object.entries(SCRATCH_REGISTRY)) {
      const code = readFileSync(join(SRC, file), 'utf8');
      for (const name of names) expect(code, `${file}: ${name}`).toMatch(new RegExp(`^(export )?(const|let) ${name}\\b`, 'm'));
    }
  });

  it('src/zlib/scratch.ts lists in zlibScratch() every array it exports (the arrays are written from other files)', () => {
    const listed = new Set<unknown>(zlibScratch.zlibScratch().map((entry) => entry.array));
    const exported = Object.entries(zlibScratch).flatMap(([name, value]) => {
      if (ArrayBuffer.isView(value)) return [[name, value] as const];
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
        return Object.entries(value).filter(([, part]) => ArrayBuffer.isView(part)).map(([part, array]) => [`${name}.${part}`, array] as const);
      }
      return [];
    });
    expect(exported.length).toBeGreaterThan(10);
    expect(exported.filter(([, array]) => !listed.has(array)).map(([name]) => name)).toEqual([]);
  });
});

describe('load time: no loop runs at module level in the core (docs/design.md, "Load time")', () => {
  /** Loops in a file's top-level code, outside functions: V8 compiles the whole (bundled) module for them. */
  function topLevelLoops(name: string, text: string): string[] {
    const source = ts.createSourceFile(name, text, ts.ScriptTarget.ES2022, true);
    const found: string[] = [];
    const visit = (node: ts.Node): void => {
      if (ts.isFunctionLike(node) || ts.isClassLike(node)) return;
      if (ts.isIterationStatement(node, false)) {
        found.push(`${name}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`);
      }
      ts.forEachChild(node, visit);
    };
    source.statements.forEach(visit);
    return found;
  }

  it('finds the loops it is shown, and not those in functions', () => {
    const probe = 'const t = new Uint8Array(4);\n{\n  for (let i = 0; i < 4; i++) t[i] = i;\n}\nfunction f() { while (true) break; }\nconst g = () => { for (;;) break; };';
    expect(topLevelLoops('probe.ts', probe)).toEqual(['probe.ts:3']);
  });

  it('has none in any core source file', () => {
    const files = sourceFiles(SRC).filter((f) => !EXCLUDED.some((re) => re.test(f)));
    expect(files.length).toBeGreaterThan(30);
    expect(files.flatMap((file) => topLevelLoops(file, readFileSync(join(SRC, file), 'utf8')))).toEqual([]);
  });
});

// --- the certificate is not reachable after a build or verify returns -----------------------

const APP_ID = '970CA35de60c44645bbae8a215061b33';
const CERTIFICATE = '5CFd2fd1755d40ecb72977518be15d3b';
const ISSUE_TS = 1_700_000_000;
const SALT = 0x1234_5678;

const u32le = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0);
  return b;
};
const k1 = createHmac('sha256', u32le(ISSUE_TS)).update(CERTIFICATE).digest();
const k2 = createHmac('sha256', u32le(SALT)).update(k1).digest();

/** The secrets: the certificate's bytes, both signing-chain keys, each as bytes and as big-endian words. */
const SECRETS: Array<[string, Uint8Array]> = [
  ['certificate', new TextEncoder().encode(CERTIFICATE)], ['HMAC(issueTs, certificate)', k1], ['signing key', k2],
];
/** The certificate as the 006 HMAC key ^ ipad, first 16 bytes (what a pad block would hold). */
const asWords = (bytes: Uint8Array): Int32Array => {
  const words = new Int32Array(bytes.length >> 2);
  for (let i = 0; i < words.length; i++) words[i] = (bytes[4 * i] << 24) | (bytes[4 * i + 1] << 16) | (bytes[4 * i + 2] << 8) | bytes[4 * i + 3];
  return words;
};

function containsRun(haystack: ArrayLike<number>, needle: ArrayLike<number>, run: number): boolean {
  // Any `run` consecutive elements of the needle, anywhere in the haystack.
  for (let start = 0; start + run <= needle.length; start += run) {
    for (let i = 0; i + run <= haystack.length; i++) {
      let same = true;
      for (let k = 0; k < run && same; k++) same = haystack[i + k] === needle[start + k];
      if (same) return true;
    }
  }
  return false;
}

/** Every typed array reachable from `root` through own properties (private fields included). */
function typedArraysIn(root: unknown, seen = new Set<unknown>()): Array<Uint8Array | Int32Array> {
  if (root === null || typeof root !== 'object' || seen.has(root)) return [];
  seen.add(root);
  if (root instanceof Uint8Array || root instanceof Int32Array) return [root];
  if (ArrayBuffer.isView(root)) return [];
  const out: Array<Uint8Array | Int32Array> = [];
  for (const key of Reflect.ownKeys(root)) {
    const descriptor = Object.getOwnPropertyDescriptor(root, key);
    if (descriptor && 'value' in descriptor) out.push(...typedArraysIn(descriptor.value, seen));
  }
  return out;
}

function leaks(roots: unknown[]): string[] {
  const found: string[] = [];
  for (const array of roots.flatMap((root) => typedArraysIn(root))) {
    for (const [name, secret] of SECRETS) {
      const bytes = array instanceof Uint8Array ? array : new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
      if (containsRun(bytes, secret, 8)) found.push(`${name} as bytes in a ${array.constructor.name}(${array.length})`);
      if (array instanceof Int32Array && containsRun(array, asWords(secret), 2)) found.push(`${name} as words in an Int32Array(${array.length})`);
    }
  }
  return found;
}

const scratch = (): unknown[] => [sha256Scratch, hmacScratch, signatureScratch, packScratch, pack006Scratch, base64Scratch];

describe('the certificate is not reachable after a build or verify returns', () => {
  const options = { issueTs: ISSUE_TS, salt: SALT };

  it('the scan finds the secrets where they are (it can fail)', () => {
    expect(leaks([{ kept: new TextEncoder().encode(`xx${CERTIFICATE}`) }])).not.toEqual([]);
    expect(leaks([[asWords(k2)]])).not.toEqual([]);
  });

  it('after one-call builds (Chat, RTC, RTM, several services, 006)', () => {
    const results = [
      ChatTokenBuilder2.buildUserToken(APP_ID, CERTIFICATE, 'alice', 3600, options),
      ChatTokenBuilder2.buildAppToken(APP_ID, CERTIFICATE, 3600, options),
      RtcTokenBuilder2.buildTokenWithUid(APP_ID, CERTIFICATE, 'room1', 42, 1, 3600, 3600, options),
      RtcTokenBuilder2.buildTokenWithRtm(APP_ID, CERTIFICATE, 'room1', 'alice', 1, 3600, 3600, options),
      RtmTokenBuilder2.buildToken(APP_ID, CERTIFICATE, 'alice', 3600, options),
      RtcTokenBuilder.buildTokenWithUid(APP_ID, CERTIFICATE, 'room1', 42, 1, 0, options),
    ];
    expect(leaks(scratch())).toEqual([]);
    expect(results.join('')).not.toContain(CERTIFICATE);
  });

  it('after verifyToken (valid and forged), for the scratch and the returned object', () => {
    const token = ChatTokenBuilder2.buildUserToken(APP_ID, CERTIFICATE, 'alice', 3600, options);
    const decoded = verifyToken(token, CERTIFICATE, { now: ISSUE_TS });
    expect(() => verifyToken(token, '0'.repeat(32), { now: ISSUE_TS })).toThrow();
    const legacy = RtcTokenBuilder.buildTokenWithUid(APP_ID, CERTIFICATE, 'room1', 42, 1, 0, options);
    const decoded006 = verifyToken(legacy, CERTIFICATE, { now: ISSUE_TS, channelName: 'room1', uid: 42 });
    expect(leaks([...scratch(), decoded, decoded006, decodeToken(token)])).toEqual([]);
  });
});
