import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { StoreIntegrityError } from './errors.js';

// At least this many bytes stay behind until the whole object is checked: more than any
// compressor's or cipher's trailer, so nothing downstream can finish a stream from bytes that
// were never verified (zfs receive only commits a stream whose END record it has read).
export const HOLD_BACK = 1 << 20;

// Why: restore checks each object's sha256 while streaming it into zfs receive. The last
// HOLD_BACK bytes are released only after the digest and size match the manifest; on a mismatch
// the stream fails instead, so the receive never sees the end of a corrupt stream.
export class VerifyStream extends Transform {
  private readonly hash = createHash('sha256');
  private readonly held: Buffer[] = [];
  private heldBytes = 0;
  private total = 0;

  constructor(
    private readonly expected: { readonly bytes: number; readonly sha256: string },
    private readonly what: string, // the object's URL, for the message
  ) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.hash.update(chunk);
    this.total += chunk.length;
    if (this.total > this.expected.bytes) return cb(this.mismatch(`more than the ${this.expected.bytes} bytes the manifest records`));
    this.held.push(chunk);
    this.heldBytes += chunk.length;
    while (this.held.length > 1 && this.heldBytes - this.held[0]!.length >= HOLD_BACK) {
      const first = this.held.shift()!;
      this.heldBytes -= first.length;
      this.push(first);
    }
    cb();
  }

  override _flush(cb: TransformCallback): void {
    if (this.total !== this.expected.bytes) return cb(this.mismatch(`${this.total} bytes, the manifest records ${this.expected.bytes}`));
    const digest = this.hash.digest('hex');
    if (digest !== this.expected.sha256) return cb(this.mismatch(`sha256 ${digest}, the manifest records ${this.expected.sha256}`));
    for (const b of this.held.splice(0)) this.push(b);
    cb();
  }

  private mismatch(detail: string): StoreIntegrityError {
    return new StoreIntegrityError(`${this.what}: corrupt: the stored bytes have ${detail}`);
  }
}
