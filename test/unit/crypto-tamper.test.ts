import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CryptoError, EncryptedFormatError, IntegrityError, KeyMismatchError } from '../../src/adapters/crypto/index.js';
import { decrypt, encrypt, HEADER, newKey, RECORD, SEG } from './crypto-fixtures.js';

const key = newKey();
const plain = randomBytes(5 * SEG + 100); // 5 full segments + a final one of 100 bytes
const sealed = await encrypt(plain, key);
const SEGMENTS = 6;

function flip(buf: Buffer, at: number, bit = 0): Buffer {
  const copy = Buffer.from(buf);
  copy[at] = (copy[at] as number) ^ (1 << bit);
  return copy;
}

describe('crypto tamper detection', () => {
  it('has the expected layout', () => {
    expect(sealed.length).toBe(HEADER + 5 * RECORD + 100 + 16);
  });

  it('rejects truncation at every segment boundary', async () => {
    for (let k = 0; k < SEGMENTS; k++) {
      await expect(decrypt(sealed.subarray(0, HEADER + k * RECORD), key), `cut after ${k} segments`).rejects.toThrow(IntegrityError);
    }
  });

  it('rejects truncation inside the header and inside every segment', async () => {
    for (const cut of [0, 1, 30, HEADER - 1]) {
      await expect(decrypt(sealed.subarray(0, cut), key)).rejects.toThrow(CryptoError);
    }
    for (let k = 0; k < SEGMENTS; k++) {
      for (const inside of [1, 15, 16, 17, 500, RECORD - 1]) {
        const cut = HEADER + k * RECORD + inside;
        if (cut >= sealed.length) continue;
        await expect(decrypt(sealed.subarray(0, cut), key), `cut at ${cut}`).rejects.toThrow(IntegrityError);
      }
    }
    await expect(decrypt(sealed.subarray(0, sealed.length - 1), key)).rejects.toThrow(IntegrityError);
  });

  it('rejects reordered, dropped and duplicated segments', async () => {
    const seg = (i: number) => sealed.subarray(HEADER + i * RECORD, HEADER + (i + 1) * RECORD);
    const head = sealed.subarray(0, HEADER);
    const tail = sealed.subarray(HEADER + 5 * RECORD);
    const swapped = Buffer.concat([head, seg(0), seg(2), seg(1), seg(3), seg(4), tail]);
    const dropped = Buffer.concat([head, seg(0), seg(1), seg(3), seg(4), tail]);
    const duplicated = Buffer.concat([head, seg(0), seg(1), seg(1), seg(2), seg(3), seg(4), tail]);
    for (const bad of [swapped, dropped, duplicated]) await expect(decrypt(bad, key)).rejects.toThrow(IntegrityError);
  });

  it('rejects a flipped bit in every header byte', async () => {
    for (let at = 0; at < HEADER; at++) {
      await expect(decrypt(flip(sealed, at, at % 8), key), `header byte ${at}`).rejects.toThrow(CryptoError);
    }
    await expect(decrypt(flip(sealed, 0), key)).rejects.toThrow(EncryptedFormatError);
    await expect(decrypt(flip(sealed, 7), key)).rejects.toThrow(EncryptedFormatError);
    await expect(decrypt(flip(sealed, 20), key)).rejects.toThrow(KeyMismatchError);
    await expect(decrypt(flip(sealed, 40), key)).rejects.toThrow(IntegrityError); // salt
    await expect(decrypt(flip(sealed, 15), key)).rejects.toThrow(IntegrityError); // segment size 1024 -> 1025
  });

  it('rejects a flipped bit in the body and in the tag of every segment', async () => {
    for (let k = 0; k < SEGMENTS; k++) {
      const start = HEADER + k * RECORD;
      const len = k < 5 ? RECORD : 116;
      await expect(decrypt(flip(sealed, start + 3), key), `body ${k}`).rejects.toThrow(IntegrityError);
      await expect(decrypt(flip(sealed, start + len - 1, 7), key), `tag ${k}`).rejects.toThrow(IntegrityError);
    }
  });

  it('refuses a wrong key by its key id, before decrypting anything', async () => {
    const other = newKey();
    const err = await decrypt(sealed, other).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KeyMismatchError);
    expect(String(err)).toContain(key.id);
    expect(String(err)).toContain(other.id);
  });

  it('detects a wrong key even when the header claims its key id', async () => {
    const other = newKey();
    const forged = Buffer.from(sealed);
    Buffer.from(other.id, 'hex').copy(forged, 16);
    await expect(decrypt(forged, other)).rejects.toThrow(IntegrityError);
    await expect(decrypt(forged, key)).rejects.toThrow(KeyMismatchError);
  });

  it('releases only the segments that verified before a damaged one', async () => {
    const { DecryptStream } = await import('../../src/adapters/crypto/index.js');
    const dec = new DecryptStream(key);
    const got: Buffer[] = [];
    dec.on('data', (c: Buffer) => got.push(c));
    const done = new Promise((resolve) => dec.on('error', resolve));
    dec.end(flip(sealed, HEADER + 3 * RECORD + 10));
    expect(await done).toBeInstanceOf(IntegrityError);
    expect(Buffer.concat(got).equals(plain.subarray(0, 3 * SEG))).toBe(true);
  });
});
