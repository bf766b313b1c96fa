import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { HmacKey, hmacSha256 } from '../src/crypto/hmac';
import { md5 } from '../src/crypto/md5';
import { compressLoop, compressUnrolled, sha256, SHA256_INITIAL } from '../src/crypto/sha256';
import { signOnce, TokenSigner } from '../src/token007/signature';
import { seededByteStream } from './helpers/random';

const ascii = (text: string): Uint8Array => new TextEncoder().encode(text);
const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const filled = (length: number, byte: number): Uint8Array => new Uint8Array(length).fill(byte);

const nodeSha256 = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');
const nodeHmac = (key: Uint8Array, data: Uint8Array): string => createHmac('sha256', key).update(data).digest('hex');

describe('SHA-256: NIST FIPS 180-2 / CSRC example vectors', () => {
  const vectors: Array<[string, Uint8Array, string]> = [
    ['empty message', ascii(''), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['"abc" (one block)', ascii('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    [
      '448-bit message (padding needs a second block)',
      ascii('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq'),
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    ],
    [
      '896-bit message',
      ascii('abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu'),
      'cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1',
    ],
    ['one million "a"', filled(1_000_000, 0x61), 'cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0'],
  ];
  it.each(vectors)('%s', (_, message, digest) => {
    expect(hex(sha256(message))).toBe(digest);
  });
});

describe('SHA-256 against node:crypto', () => {
  it('agrees for every length 0…300 (all padding cases) and for random longer messages', () => {
    const random = seededByteStream(0x5eed);
    for (let length = 0; length <= 300; length++) {
      const message = random(length);
      expect(hex(sha256(message)), `length ${length}`).toBe(nodeSha256(message));
    }
    for (const length of [511, 512, 513, 1000, 4095, 4096, 4097, 65_537]) {
      const message = random(length);
      expect(hex(sha256(message)), `length ${length}`).toBe(nodeSha256(message));
    }
  });

  it('hashes a subarray by its own bytes, not its buffer', () => {
    const buffer = seededByteStream(7)(200);
    const view = buffer.subarray(13, 150);
    expect(hex(sha256(view))).toBe(nodeSha256(view));
    // From 1 KiB on, words are read through a DataView over the subarray's own range.
    const long = seededByteStream(8)(5000);
    for (const [start, end] of [[13, 1037], [1, 4999], [3, 1026], [0, 4160]]) {
      const part = long.subarray(start, end);
      expect(hex(sha256(part)), `[${start}, ${end})`).toBe(nodeSha256(part));
    }
  });
});

describe('SHA-256: the compact loop (a process\'s first blocks) and the unrolled function', () => {
  it('give the same chaining value for random states and blocks, also when `to` is `from` or the block', () => {
    const random = seededByteStream(0xc0de);
    const words = (n: number): Int32Array => new Int32Array(random(4 * n).buffer);
    for (let i = 0; i < 2000; i++) {
      const from = i === 0 ? SHA256_INITIAL.slice() : words(8);
      const block = words(16);
      const expected = new Int32Array(8);
      compressUnrolled(from, expected, block);
      const out = new Int32Array(8);
      compressLoop(from, out, block);
      expect(out).toEqual(expected);
      const inPlace = from.slice();
      compressLoop(inPlace, inPlace, block);
      expect(inPlace).toEqual(expected);
      const intoBlock = block.slice();
      compressLoop(from, intoBlock, intoBlock);
      expect(intoBlock.subarray(0, 8)).toEqual(expected);
    }
  });

  it('a fresh module hashes alike before, across and after the switch at its 64th block', async () => {
    vi.resetModules();
    const fresh = await import('../src/crypto/sha256');
    const random = seededByteStream(0x5a11);
    // 20 messages of 1,000 bytes, 16 blocks each: the switch falls inside the 4th.
    for (let m = 0; m < 20; m++) {
      if (m === 0) expect(fresh.compressor.run).not.toBe(fresh.compressUnrolled);
      const message = random(1000);
      expect(hex(fresh.sha256(message)), `message ${m}`).toBe(nodeSha256(message));
    }
    // And the fast function is the one in use from then on.
    expect(fresh.compressor.run).toBe(fresh.compressUnrolled);
  });
});

describe('HMAC-SHA256: RFC 4231 test cases', () => {
  const cases: Array<[string, Uint8Array, Uint8Array, string]> = [
    ['1', filled(20, 0x0b), ascii('Hi There'), 'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7'],
    ['2 (key shorter than the output)', ascii('Jefe'), ascii('what do ya want for nothing?'),
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843'],
    ['3 (50 bytes of 0xdd)', filled(20, 0xaa), filled(50, 0xdd),
      '773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe'],
    ['4 (25-byte key)', Uint8Array.from({ length: 25 }, (_, i) => i + 1), filled(50, 0xcd),
      '82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b'],
    ['6 (131-byte key, hashed first)', filled(131, 0xaa), ascii('Test Using Larger Than Block-Size Key - Hash Key First'),
      '60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54'],
    ['7 (131-byte key, data longer than a block)', filled(131, 0xaa),
      ascii('This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.'),
      '9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2'],
  ];
  it.each(cases)('test case %s', (_, key, data, mac) => {
    expect(hex(hmacSha256(key, data))).toBe(mac);
    // The same through a reusable key, re-keyed from another key first.
    const reused = new HmacKey(ascii('some other key')).setKey(key);
    const out = new Uint8Array(32);
    reused.sign(data, 0, data.length, out);
    expect(hex(out)).toBe(mac);
  });

  it('test case 5 (output truncated to 128 bits)', () => {
    const mac = hmacSha256(filled(20, 0x0c), ascii('Test With Truncation'));
    expect(hex(mac.subarray(0, 16))).toBe('a3b6167473100ee06e0c796c2955552b');
  });
});

describe('HMAC-SHA256 against node:crypto', () => {
  it('agrees for key lengths 0…200 (short, block-sized, hashed) and message lengths across block edges', () => {
    const random = seededByteStream(0xc0ffee);
    for (let keyLength = 0; keyLength <= 200; keyLength++) {
      const key = random(keyLength);
      const message = random((keyLength * 37) % 257);
      expect(hex(hmacSha256(key, message)), `key ${keyLength} B, message ${message.length} B`).toBe(nodeHmac(key, message));
    }
  });

  it('signs a range into an offset, and re-keying an instance equals a fresh key', () => {
    const random = seededByteStream(99);
    const key = new HmacKey();
    for (let round = 0; round < 200; round++) {
      const keyBytes = random(1 + (round % 90));
      const data = random(20 + round);
      const start = round % 7;
      const end = data.length - (round % 5);
      const out = random(40);
      const outOffset = round % 9;
      const before = out.slice();
      key.setKey(keyBytes).sign(data, start, end, out, outOffset);
      expect(hex(out.subarray(outOffset, outOffset + 32))).toBe(nodeHmac(keyBytes, data.subarray(start, end)));
      // Nothing outside the 32 output bytes is touched.
      expect(hex(out.subarray(0, outOffset))).toBe(hex(before.subarray(0, outOffset)));
      expect(hex(out.subarray(outOffset + 32))).toBe(hex(before.subarray(outOffset + 32)));
    }
  });

  it('32-byte keys and messages given as big-endian words equal the byte forms', () => {
    const random = seededByteStream(0x3232);
    const toWords = (bytes: Uint8Array): Int32Array => {
      const view = new DataView(bytes.buffer, bytes.byteOffset, 32);
      return Int32Array.from({ length: 8 }, (_, i) => view.getInt32(i * 4));
    };
    const fromWords = (words: Int32Array): Uint8Array => {
      const out = new Uint8Array(32);
      words.forEach((w, i) => new DataView(out.buffer).setInt32(i * 4, w));
      return out;
    };
    for (let round = 0; round < 50; round++) {
      const key = random(32);
      const message = random(32);
      const data = random(round * 3);
      const expected = nodeHmac(key, message);
      const out = new Int32Array(8);
      new HmacKey().setKeyWords(toWords(key)).signWords(toWords(message), out);
      expect(hex(fromWords(out)), `round ${round}`).toBe(expected);
      // signWords may write its MAC over its own message.
      const inPlace = toWords(message);
      new HmacKey(key).signWords(inPlace, inPlace);
      expect(hex(fromWords(inPlace))).toBe(expected);
      new HmacKey(key).signToWords(data, 0, data.length, out);
      expect(hex(fromWords(out))).toBe(nodeHmac(key, data));
    }
  });

  it('a key range [start, end) is the key, and signing twice gives the same MAC', () => {
    const random = seededByteStream(4231);
    const buffer = random(300);
    const message = random(77);
    for (const [start, end] of [[0, 4], [10, 42], [5, 69], [1, 65], [3, 203]]) {
      const key = new HmacKey().setKey(buffer, start, end);
      const a = new Uint8Array(32);
      const b = new Uint8Array(32);
      key.sign(message, 0, message.length, a);
      key.sign(message, 0, message.length, b);
      expect(hex(a), `key [${start}, ${end})`).toBe(nodeHmac(buffer.subarray(start, end), message));
      expect(hex(b)).toBe(hex(a));
    }
  });
});

describe('AccessToken2 signing key (one-call and kept first step) against node:crypto', () => {
  const u32le = (value: number): Buffer => {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(value >>> 0);
    return b;
  };
  /** signature = HMAC(HMAC(u32(salt), HMAC(u32(issueTs), certificate)), signingInfo), per the spec. */
  const reference = (certificate: string, issueTs: number, salt: number, info: Uint8Array): string => {
    const k1 = createHmac('sha256', u32le(issueTs)).update(certificate).digest();
    const k2 = createHmac('sha256', u32le(salt)).update(k1).digest();
    return createHmac('sha256', k2).update(info).digest('hex');
  };

  it('matches for repeated and changing certificates, issue times and salts', () => {
    const random = seededByteStream(2024);
    const certificates = ['5CFd2fd1755d40ecb72977518be15d3b', '0123456789abcdef0123456789ABCDEF'];
    // Same (certificate, issueTs) several times in a row (cache hits), then changes of either.
    const calls: Array<[number, number, number]> = [
      [0, 1700000000, 1], [0, 1700000000, 2], [0, 1700000000, 0xffffffff], [0, 1700000001, 2],
      [1, 1700000001, 2], [1, 1700000001, 7], [0, 1700000001, 7], [0, 0, 0], [0, 0xffffffff, 123456],
      [1, 0xffffffff, 123456],
    ];
    // An app's own signer (keeps the first step per issue time) next to the one-call path.
    const kept = certificates.map((certificate) => new TokenSigner(true).setCertificate(certificate));
    for (const [c, issueTs, salt] of calls) {
      const info = random(60 + salt % 80);
      const out = new Uint8Array(32);
      signOnce(certificates[c], issueTs, salt, info, 0, info.length, out);
      expect(hex(out), `cert ${c}, issueTs ${issueTs}, salt ${salt}`).toBe(reference(certificates[c], issueTs, salt, info));
      const fromKept = new Uint8Array(32);
      kept[c].sign(issueTs, salt, info, 0, info.length, fromKept);
      expect(hex(fromKept), `kept signer: cert ${c}, issueTs ${issueTs}, salt ${salt}`).toBe(hex(out));
    }
  });
});

describe('MD5: RFC 1321 test suite', () => {
  const suite: Array<[string, string]> = [
    ['', 'd41d8cd98f00b204e9800998ecf8427e'],
    ['a', '0cc175b9c0f1b6a831c399e269772661'],
    ['abc', '900150983cd24fb0d6963f7d28e17f72'],
    ['message digest', 'f96b697d7cb7938d525a2f31aaf161d0'],
    ['abcdefghijklmnopqrstuvwxyz', 'c3fcd3d76192e4007dfb496cca67e13b'],
    ['ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', 'd174ab98d277d9f5a5611c2c9f419d9f'],
    ['12345678901234567890123456789012345678901234567890123456789012345678901234567890', '57edf4a22be3c955ac49da2e2107b67a'],
  ];
  it.each(suite)('MD5 (%j)', (message, digest) => {
    expect(hex(md5(ascii(message)))).toBe(digest);
  });

  it('agrees with node:crypto for every length 0…200 and a few long messages', () => {
    const random = seededByteStream(1321);
    for (const length of [...Array.from({ length: 201 }, (_, i) => i), 1000, 4096, 100_003]) {
      const message = random(length);
      expect(hex(md5(message)), `length ${length}`).toBe(createHash('md5').update(message).digest('hex'));
    }
  });
});
