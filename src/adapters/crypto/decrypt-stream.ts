import { createDecipheriv } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { ByteQueue } from '../stream/byte-queue.js';
import { IntegrityError, KeyMismatchError } from './errors.js';
import type { EncryptionKey } from './key.js';
import { decodeHeader, deriveStreamKey, HEADER_BYTES, segmentAad, segmentNonce, TAG_BYTES, type StreamHeader } from './format.js';

// Why: decrypts the format of docs/encryption-format.md in constant memory, releasing each
// segment's plaintext only after its tag verified, and failing on truncation or reordering.
export class DecryptStream extends Transform {
  private readonly queue = new ByteQueue();
  private header: StreamHeader | undefined;
  private streamKey: Buffer | undefined;
  private index = 0;

  constructor(private readonly key: EncryptionKey) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    try {
      this.queue.push(chunk);
      this.drain();
      cb();
    } catch (err) {
      cb(err as Error);
    }
  }

  override _flush(cb: TransformCallback): void {
    try {
      if (!this.header) throw new IntegrityError(`truncated: ${this.queue.length} bytes, shorter than the ${HEADER_BYTES}-byte header`);
      const record = this.header.segmentSize + TAG_BYTES;
      const left = this.queue.length;
      if (left === record) throw new IntegrityError(`truncated: segment ${this.index} is full-size and no final segment follows it`);
      if (left < TAG_BYTES) throw new IntegrityError(`truncated: the final segment has ${left} bytes, less than its ${TAG_BYTES}-byte tag`);
      this.push(this.open(this.queue.take(left), true));
      cb();
    } catch (err) {
      cb(err as Error);
    }
  }

  private drain(): void {
    if (!this.header) {
      if (this.queue.length < HEADER_BYTES) return;
      const header = decodeHeader(this.queue.take(HEADER_BYTES));
      if (header.keyId !== this.key.id) throw new KeyMismatchError(header.keyId, this.key.id);
      this.header = header;
      this.streamKey = deriveStreamKey(this.key.bytes(), header.salt);
    }
    const record = this.header.segmentSize + TAG_BYTES;
    // Strictly more than one record queued: the first one cannot be the final segment.
    while (this.queue.length > record) this.push(this.open(this.queue.take(record), false));
  }

  private open(sealed: Buffer, final: boolean): Buffer {
    const header = this.header as StreamHeader;
    const decipher = createDecipheriv('aes-256-gcm', this.streamKey as Buffer, segmentNonce(this.index));
    decipher.setAAD(segmentAad(header.raw, final));
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    const body = decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES));
    try {
      const tail = decipher.final();
      this.index++;
      return tail.length ? Buffer.concat([body, tail]) : body;
    } catch (err) {
      const which = final ? 'final segment' : 'segment';
      throw new IntegrityError(`${which} ${this.index} failed authentication: the stream is corrupted, reordered or truncated`, {
        cause: err,
      });
    }
  }
}
