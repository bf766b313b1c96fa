import { describe, expect, it } from 'vitest';
import { TokenError, decodeToken, verifyToken, type DecodedToken007, type TokenErrorCode } from '../src/index';
import { goldenShape } from './helpers/decoded';
import { loadGolden } from './helpers/golden';

/** What a call did: 'accepted', or the TokenError code it threw (anything else fails the test). */
function outcome(fn: () => unknown): string {
  try {
    fn();
    return 'accepted';
  } catch (err) {
    if (err instanceof TokenError) return err.code;
    throw err;
  }
}

/** Java's verdicts: `parse` then `verifySignature` on the same object (verify is false when parse is). */
function strictOutcome(token: string | null, certificate: string | null): string {
  return outcome(() => {
    const decoded = decodeToken(token as string) as DecodedToken007;
    verifyToken(token as string, certificate as string, { now: decoded.issueTs });
  });
}

function lenientVerdict(token: string | null, certificate: string | null): { parse: boolean; verify: boolean } {
  let issueTs = 0;
  const parse = outcome(() => { issueTs = (decodeToken(token as string, { lenient: true }) as DecodedToken007).issueTs; }) === 'accepted';
  const verify = parse && outcome(() => verifyToken(token as string, certificate as string, { lenient: true, now: issueTs })) === 'accepted';
  return { parse, verify };
}

const ids = (list: string): string[] => list.split(' ').map((n) => `invalid-${n}`);

/** Strict mode's code for every vector it refuses. */
const STRICT_CODES: Array<[TokenErrorCode, string[]]> = [
  ['ERR_TOKEN_NOT_STRING', ids('011')],
  ['ERR_TOKEN_VERSION', ids('002 003 004 005 007 008 009')],
  ['ERR_TOKEN_BASE64', ids('006 012 013 014 015 021 022 023 025 026 027 028 029 030 031 036 037 038 041 043 044 045 046 047 049 053 058 059 060 061 062 063 065 066')],
  ['ERR_TOKEN_ZLIB', ids('052 054 055 067 068 069 070 071 072 073 077 080 085 086 088 089 093 096 103')],
  ['ERR_TOKEN_TRUNCATED', ids('017 018 019 020 032 033 034 035 039 074 075 076 090 091 101 102 105 107 109 110 111 112 113 114 115 116 117 118 119 120 121 122 123 124 125 126 127 128 129 130 132 134 135 136 137 138 139 140 141 142 145 146 147 149 151 154 155 156 163 164 168 174 213 214 221 222 224 226 227')],
  ['ERR_TOKEN_TRAILING_BYTES', ids('050 078 079 094 095 143 144 148 152 157 158 159 217 218 219 220 225')],
  ['ERR_TOKEN_MALFORMED', ids('001 185 187 190 207 208 209 211 215')],
  ['ERR_SIGNATURE_MISMATCH', ids('175 176 178 179 180 181 182 183 184 191 192 193 200 228 229 230 231 233')],
  ['ERR_INVALID_APP_CERTIFICATE', ids('195 196 198 203 205')],
  ['ERR_MISSING_ARGUMENT', ids('197 204')],
];
const STRICT_CODE = new Map<string, TokenErrorCode>(STRICT_CODES.flatMap(([code, list]) => list.map((id) => [id, code] as const)));

/** Where strict mode refuses a token Java accepts (parses and verifies), and why. */
const STRICTER_THAN_JAVA: Array<[string, string[]]> = [
  ['base64 text cut mid-group: commons-codec decodes a partial last group; RFC 4648 needs whole groups', ids('022 023 025 026 027 036 037 038 041')],
  ['characters outside the alphabet (!, CR/LF, spaces, é), URL-safe - and _, padding removed or added: commons-codec skips or maps them; one canonical spelling per token', ids('043 044 045 047 049 053 058 060 061 062 063 066')],
  ['zlib Adler-32 checksum cut off (wholly or partly): Java\'s Inflater returns the data anyway; a complete stream is required', ids('035 039 074 075 090 091')],
  ['bytes after the zlib stream (garbage, a second stream, base64 "AAAA"): Java ignores them', ids('050 078 079 094 095')],
  ['service count ≥ 0x8000: Java reads it as a negative short (no services); unsigned, it runs past the end', ids('145 146 154 155')],
  ['service bytes left after the last counted service: Java ignores trailing bytes', ids('144 148 157 218 220 225')],
  ['service type 9 is ConvoAI to this library (Java stops at it), so the old service\'s fields are read as the next bytes', ids('159 164')],
  ['privilege count 0xFFFF: Java reads -1 (no privileges) and takes the privilege bytes as the user id', ids('226')],
];
const STRICTER = new Map<string, string>(STRICTER_THAN_JAVA.flatMap(([why, list]) => list.map((id) => [id, why] as const)));

describe('accesstoken2-invalid.json', () => {
  const vectors = loadGolden('accesstoken2-invalid.json');

  it('has the vectors and the tables name only real ones', () => {
    expect(vectors.length).toBe(200);
    const known = new Set(vectors.map((v) => v.id));
    for (const id of [...STRICT_CODE.keys(), ...STRICTER.keys()]) expect(known.has(id), id).toBe(true);
  });

  it('lenient mode reproduces Java\'s parse and verify verdicts on every vector', () => {
    const mismatches: string[] = [];
    for (const v of vectors) {
      const ours = lenientVerdict(v.token, v.appCertificate);
      if (ours.parse !== v.parse || ours.verify !== v.verify) {
        mismatches.push(`${v.id} (${v.description}): Java ${v.parse}/${v.verify}, lenient ${ours.parse}/${ours.verify}`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('lenient mode decodes the fields Java decoded (up to a type Java does not parse)', () => {
    let compared = 0;
    for (const v of vectors.filter((x) => x.decoded)) {
      const decoded = decodeToken(v.token!, { lenient: true }) as DecodedToken007;
      const shape = goldenShape(decoded) as { services: unknown[] };
      const stop = decoded.services.findIndex((s) => s.type > 8);
      if (stop >= 0) shape.services = shape.services.slice(0, stop);
      expect(shape, v.id).toEqual(v.decoded);
      compared++;
    }
    expect(compared).toBeGreaterThan(80);
  });

  it('strict mode refuses every token Java refuses, with a specific code', () => {
    let refused = 0;
    for (const v of vectors.filter((x) => !x.parse || !x.verify)) {
      const code = strictOutcome(v.token, v.appCertificate);
      expect(code, `${v.id}: ${v.description}`).toBe(STRICT_CODE.get(v.id));
      refused++;
    }
    expect(refused).toBe(136);
  });

  it('where strict mode refuses what Java accepts, the table above says why', () => {
    for (const v of vectors.filter((x) => x.parse && x.verify)) {
      const code = strictOutcome(v.token, v.appCertificate);
      if (code === 'accepted') {
        expect(STRICTER.has(v.id), `${v.id} is accepted but listed as refused`).toBe(false);
      } else {
        expect(STRICTER.get(v.id), `${v.id} (${v.description}) refused with ${code}: add the reason`).toBeTruthy();
        expect(code, v.id).toBe(STRICT_CODE.get(v.id));
      }
    }
  });

  it('strict mode accepts what every valid stream carries: other compressions, unknown service types, upper-case app IDs', () => {
    for (const id of ids('081 082 083 084 097 099 100 160 161 162 165 166 167 171 172 173 199 210')) {
      const v = vectors.find((x) => x.id === id)!;
      expect(strictOutcome(v.token, v.appCertificate), `${id}: ${v.description}`).toBe('accepted');
    }
  });

  it('a type nobody knows ends decoding in both modes; strict mode says so with an entry holding the rest', () => {
    const v = vectors.find((x) => x.id === 'invalid-161')!; // service #0 type -> 65535, re-signed
    const strict = decodeToken(v.token!) as DecodedToken007;
    const last = strict.services.at(-1)!;
    expect(last).toMatchObject({ type: 65535, name: 'unknown', label: 'Unknown' });
    expect(last.unparsed!.length).toBeGreaterThan(2);
    expect((decodeToken(v.token!, { lenient: true }) as DecodedToken007).services).toEqual([]);
  });
});

describe('invalid006 vectors (accesstoken-006.json)', () => {
  const vectors = loadGolden('accesstoken-006.json').filter((v) => v.kind === 'invalid006');
  /** Strict codes for the 006 vectors Java's fromString refuses or that are not canonical. */
  const STRICT_006: Record<string, string> = {
    'invalid006-234': 'accepted',
    'invalid006-235': 'ERR_TOKEN_VERSION',
    'invalid006-237': 'ERR_TOKEN_NOT_STRING',
    'invalid006-239': 'ERR_TOKEN_TRUNCATED',
    'invalid006-240': 'ERR_TOKEN_TRUNCATED',
    'invalid006-241': 'ERR_TOKEN_TRUNCATED',
    'invalid006-242': 'ERR_TOKEN_BASE64',
    'invalid006-243': 'ERR_TOKEN_BASE64',
    'invalid006-244': 'ERR_TOKEN_TRUNCATED',
    'invalid006-245': 'ERR_TOKEN_BASE64',
    'invalid006-246': 'ERR_TOKEN_BASE64',
    // Java accepts these; strict mode does not, because:
    'invalid006-247': 'ERR_TOKEN_BASE64', // '!' is not base64 (commons-codec skips it)
    'invalid006-248': 'ERR_TOKEN_BASE64', // URL-safe alphabet (commons-codec maps it)
    'invalid006-249': 'accepted', // this body needed no padding: the token is unchanged
    'invalid006-251': 'ERR_TOKEN_MALFORMED', // app ID not hex (fromString does not look)
    'invalid006-252': 'accepted', // decoding does not verify (verify.test.ts flips 006 signatures)
    'invalid006-253': 'ERR_TOKEN_TRUNCATED', // signature length 65535 runs past the end
  };

  it('has the vectors', () => {
    expect(vectors.length).toBe(17);
    expect(Object.keys(STRICT_006).sort()).toEqual(vectors.map((v) => v.id).sort());
  });

  it('lenient decoding matches fromString (true: same fields; false or a Java exception: TokenError)', () => {
    for (const v of vectors) {
      const code = outcome(() => decodeToken(v.token as string, { lenient: true }));
      expect(code === 'accepted', `${v.id}: ${v.description} → ${code}`).toBe(v.fromString === true);
      if (v.fromString === true) expect(goldenShape(decodeToken(v.token!, { lenient: true })), v.id).toEqual(v.decoded);
    }
  });

  it('strict decoding refuses everything fromString refuses, with a specific code', () => {
    for (const v of vectors) {
      expect(outcome(() => decodeToken(v.token as string)), `${v.id}: ${v.description}`).toBe(STRICT_006[v.id]);
    }
  });
});
