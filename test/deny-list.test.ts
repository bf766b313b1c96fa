import pako from 'pako';
import { describe, expect, it } from 'vitest';
import { ChatTokenBuilder2, decodeToken, verifyToken } from '../src/index';

const A = '970CA35de60c44645bbae8a215061b33';
const C = '5CFd2fd1755d40ecb72977518be15d3b';

/** The same token compressed another way (a stored zlib block, as some encoders write). */
function reencoded(token: string): string {
  const payload = pako.inflate(Buffer.from(token.slice(3), 'base64'));
  return `007${Buffer.from(pako.deflate(payload, { level: 0 })).toString('base64')}`;
}

describe('a deny-list keys on the signature, not the token string', () => {
  it('two encodings of one token verify, differ as strings, and share signatureHex', () => {
    const token = ChatTokenBuilder2.buildUserToken(A, C, 'alice', 3600);
    const other = reencoded(token);
    expect(other).not.toBe(token);
    const first = verifyToken(token, C);
    const second = verifyToken(other, C);
    expect(second.signatureHex).toBe(first.signatureHex);
    expect(first.signatureHex).toMatch(/^[0-9a-f]{64}$/);
    expect(first.signatureHex).toBe(Buffer.from(first.signature).toString('hex'));
    expect(decodeToken(other).signatureHex).toBe(first.signatureHex);
  });
});
