import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { pipeline } from 'node:stream/promises';
import { DecryptStream, EncryptionKey, EncryptStream } from '../../src/adapters/crypto/index.js';

export const SEG = 1024;
export const HEADER = 56;
export const RECORD = SEG + 16;

export function newKey(): EncryptionKey {
  return new EncryptionKey(randomBytes(32));
}

// Feeds data in pieces of the given sizes (cycled), to cross segment boundaries in odd places.
export function pieces(data: Buffer, sizes: number[] = [7, 1000, 1, 4096, 333]): Readable {
  const out: Buffer[] = [];
  for (let off = 0, i = 0; off < data.length; i++) {
    const n = Math.max(1, sizes[i % sizes.length] ?? 1);
    out.push(data.subarray(off, off + n));
    off += n;
  }
  return Readable.from(out, { objectMode: false });
}

export async function encrypt(plain: Buffer, key: EncryptionKey, sizes?: number[]): Promise<Buffer> {
  const chunks: Buffer[] = [];
  await pipeline(pieces(plain, sizes), new EncryptStream(key, { segmentSize: SEG }), async (src) => {
    for await (const c of src) chunks.push(c as Buffer);
  });
  return Buffer.concat(chunks);
}

export async function decrypt(sealed: Buffer, key: EncryptionKey, sizes?: number[]): Promise<Buffer> {
  const dec = new DecryptStream(key);
  pieces(sealed, sizes).pipe(dec);
  return buffer(dec);
}
