import { createCipheriv } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import type { EncryptionKey } from './key.js';
import { DEFAULT_SEGMENT, deriveStreamKey, encodeHeader, segmentAad, segmentNonce, type StreamHeader } from './format.js';

export interface EncryptOptions {
  segmentSize?: number; // plaintext bytes per segment (default 64 KiB)
  salt?: Buffer; // tests only: a fixed salt makes the output deterministic
}

// Why: encrypts a stream of any length in constant memory (one segment), in the format of
// docs/encryption-format.md: header, then full segments, then exactly one shorter final segment.
export class EncryptStream extends Transform {
  private readonly header: StreamHeader;
  private readonly streamKey: Buffer;
  private readonly segment: Buffer;
  private fill = 0;
  private index = 0;

  constructor(key: EncryptionKey, opts: EncryptOptions = {}) {
    super();
    this.header = encodeHeader(opts.segmentSize ?? DEFAULT_SEGMENT, key.id, opts.salt);
    this.streamKey = deriveStreamKey(key.bytes(), this.header.salt);
    this.segment = Buffer.allocUnsafe(this.header.segmentSize);
    this.push(this.header.raw);
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    let off = 0;
    while (off < chunk.length) {
      const n = chunk.copy(this.segment, this.fill, off);
      this.fill += n;
      off += n;
      // A full segment is never the final one (the final is always shorter), so seal it now.
      if (this.fill === this.segment.length) this.seal(false);
    }
    cb();
  }

  override _flush(cb: TransformCallback): void {
    this.seal(true);
    cb();
  }

  private seal(final: boolean): void {
    const cipher = createCipheriv('aes-256-gcm', this.streamKey, segmentNonce(this.index++));
    cipher.setAAD(segmentAad(this.header.raw, final));
    const body = cipher.update(this.segment.subarray(0, this.fill));
    const tail = cipher.final();
    this.push(Buffer.concat([body, tail, cipher.getAuthTag()]));
    this.fill = 0;
  }
}
