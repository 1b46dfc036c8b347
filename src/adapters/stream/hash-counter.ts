import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';

// Why: both stores report sha256 + size of the bytes they stored; this PassThrough measures them
// without buffering anything beyond what passes through.
export class HashCounter extends Transform {
  private readonly hash: Hash = createHash('sha256');
  private count = 0;

  // Bytes seen so far.
  get bytes(): number {
    return this.count;
  }

  // Hex sha256 of everything seen; call once the stream has ended.
  digest(): string {
    return this.hash.copy().digest('hex');
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.hash.update(chunk);
    this.count += chunk.length;
    cb(null, chunk);
  }
}

// Why: the same measurement for code that iterates chunks itself (the multipart loop).
export class ChunkMeter {
  private readonly hash: Hash = createHash('sha256');
  bytes = 0;

  update(chunk: Buffer): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
  }

  digest(): string {
    return this.hash.copy().digest('hex');
  }
}
