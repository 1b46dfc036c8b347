import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EncryptionKey, EncryptStream } from '../../src/adapters/crypto/index.js';
import { decrypt, encrypt, HEADER, newKey, RECORD, SEG } from './crypto-fixtures.js';

describe('crypto round trip', () => {
  it.each([0, 1, SEG - 1, SEG, SEG + 1, 2 * SEG, 5 * SEG, 5 * SEG + 77])('round-trips %i bytes', async (n) => {
    const key = newKey();
    const plain = randomBytes(n);
    const sealed = await encrypt(plain, key);
    // header + full segments + one final segment that is always shorter than a full one
    const full = Math.floor(n / SEG);
    expect(sealed.length).toBe(HEADER + full * RECORD + (n - full * SEG) + 16);
    expect((await decrypt(sealed, key)).equals(plain)).toBe(true);
  });

  it('round-trips random sizes and random chunkings (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 9 * SEG }),
        fc.array(fc.integer({ min: 1, max: 3000 }), { minLength: 1, maxLength: 6 }),
        fc.array(fc.integer({ min: 1, max: 3000 }), { minLength: 1, maxLength: 6 }),
        async (n, inSizes, outSizes) => {
          const key = newKey();
          const plain = randomBytes(n);
          const sealed = await encrypt(plain, key, inSizes);
          expect((await decrypt(sealed, key, outSizes)).equals(plain)).toBe(true);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('gives two streams under one key different bytes (fresh salt, so nonces never repeat)', async () => {
    const key = newKey();
    const plain = randomBytes(3 * SEG);
    const [a, b] = await Promise.all([encrypt(plain, key), encrypt(plain, key)]);
    expect(a.subarray(24, 56).equals(b.subarray(24, 56))).toBe(false);
    expect(a.subarray(HEADER).equals(b.subarray(HEADER))).toBe(false);
  });

  it('uses the default 64 KiB segment and round-trips 1 MiB', async () => {
    const key = new EncryptionKey(randomBytes(32));
    const plain = randomBytes(1024 * 1024);
    const enc = new EncryptStream(key);
    const chunks: Buffer[] = [];
    enc.on('data', (c: Buffer) => chunks.push(c));
    enc.end(plain);
    await new Promise((r) => enc.on('end', r));
    const sealed = Buffer.concat(chunks);
    expect(sealed.readUInt32BE(12)).toBe(65536);
    expect((await decrypt(sealed, key)).equals(plain)).toBe(true);
  });
});
