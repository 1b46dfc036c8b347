import type { Readable } from 'node:stream';
import { ChunkMeter } from '../stream/hash-counter.js';
import { PartBufferPool } from './buffer-pool.js';
import { StoreAbortedError, StoreError, StoreIntegrityError } from './errors.js';
import type { PutOptions } from './object-store.js';
import { MAX_PARTS, partSizeFor } from './part-size.js';
import { S3UploadAbandonedError } from './s3-errors.js';
import { putWhole, s3Call, sendOpts, type S3Target } from './s3-ops.js';

// What an upload stored.
export interface UploadResult {
  bytes: number;
  sha256: string;
  parts: number;
}

// Why: streams a body of unknown length to S3 in memory bounded by part × (concurrency + 1):
// CreateMultipartUpload, UploadPart (each retried a bounded number of times), Complete — and on
// any other failure AbortMultipartUpload, so no half-written object ever appears. A body shorter
// than one part becomes a single PutObject. `opts.signal` (the run's interruption: SIGTERM,
// Ctrl-C) cancels the parts in flight and aborts the upload on the server before put() rejects,
// so no parts stay stored and billed.
export function uploadStream(t: S3Target, body: Readable, opts: PutOptions = {}): Promise<UploadResult> {
  return new StreamUpload(t, opts).run(body);
}

class StreamUpload {
  private readonly meter = new ChunkMeter();
  private readonly pool: PartBufferPool;
  private readonly inflight = new Set<Promise<void>>();
  private readonly done: { PartNumber: number; ETag: string }[] = [];
  private failure: unknown;
  private body: Readable | undefined;
  private uploadId: string | undefined;
  private partNo = 0;

  constructor(
    private readonly t: S3Target,
    private readonly opts: PutOptions,
  ) {
    this.pool = new PartBufferPool(t.settings.concurrency + 1);
  }

  // Records the first failure and stops the reader: destroying the body rejects its pending read.
  // (No Promise.race against a long-lived promise: each race would keep its chunk alive.)
  private readonly fail = (err: unknown): void => {
    this.failure ??= err;
    this.body?.destroy(this.failure instanceof Error ? this.failure : new Error(String(this.failure)));
  };

  async run(body: Readable): Promise<UploadResult> {
    const onAbort = (): void => this.fail(new StoreAbortedError(`${this.t.url}: upload cancelled`));
    this.body = body;
    this.opts.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      if (this.opts.signal?.aborted) onAbort();
      const last = await this.pump(body);
      if (this.uploadId === undefined) {
        await putWhole(this.t, last, this.opts);
        return { bytes: this.meter.bytes, sha256: this.meter.digest(), parts: 1 };
      }
      if (last.length > 0) await this.dispatch(last);
      await Promise.all(this.inflight);
      if (this.failure !== undefined) throw this.failure;
      await this.complete();
      return { bytes: this.meter.bytes, sha256: this.meter.digest(), parts: this.partNo };
    } catch (err) {
      throw await this.cleanup(err);
    } finally {
      this.opts.signal?.removeEventListener('abort', onAbort);
    }
  }

  // Reads the body into part buffers, dispatching each full one; returns the last, partial one.
  private async pump(body: Readable): Promise<Buffer> {
    const it = body[Symbol.asyncIterator]();
    let cur: Buffer | undefined;
    let fill = 0;
    let finished = false;
    try {
      for (;;) {
        const r = await it.next();
        if (r.done) break;
        const chunk: Buffer = typeof r.value === 'string' ? Buffer.from(r.value) : (r.value as Buffer);
        this.meter.update(chunk);
        for (let off = 0; off < chunk.length; ) {
          if (cur === undefined && this.partNo >= MAX_PARTS)
            throw new StoreError(`${this.t.url}: the stream needs more than ${MAX_PARTS} parts`);
          cur ??= this.pool.take(partSizeFor(this.partNo + 1, this.t.settings.partSize, this.opts.sizeHint));
          const n = chunk.copy(cur, fill, off);
          fill += n;
          off += n;
          if (fill === cur.length) {
            await this.dispatch(cur);
            cur = undefined;
            fill = 0;
          }
        }
      }
      finished = true;
    } finally {
      if (!finished) await it.return?.(); // destroys the body: the producer sees EPIPE, not a hang
    }
    return cur ? cur.subarray(0, fill) : Buffer.alloc(0);
  }

  // Starts uploading one part once fewer than `concurrency` are in flight (this wait is the backpressure).
  private async dispatch(part: Buffer): Promise<void> {
    if (this.partNo >= MAX_PARTS) throw new StoreError(`${this.t.url}: the stream needs more than ${MAX_PARTS} parts`);
    const partNumber = ++this.partNo;
    if (this.uploadId === undefined) await this.create();
    while (this.inflight.size >= this.t.settings.concurrency) await Promise.race(this.inflight); // they never reject
    if (this.failure !== undefined) throw this.failure;
    const p: Promise<void> = this.uploadPart(partNumber, part)
      .then((etag) => {
        this.done.push({ PartNumber: partNumber, ETag: etag });
        this.pool.give(part);
      }, this.fail)
      .finally(() => this.inflight.delete(p));
    this.inflight.add(p);
  }

  private async create(): Promise<void> {
    const { sdk, client } = this.t.handle;
    const input = {
      Bucket: this.t.bucket,
      Key: this.t.key,
      ...(this.opts.metadata ? { Metadata: this.opts.metadata } : {}),
      ...(this.t.settings.storageClass ? { StorageClass: this.t.settings.storageClass as never } : {}),
    };
    const out = await this.call('CreateMultipartUpload', () => client.send(new sdk.CreateMultipartUploadCommand(input), this.sendOpts()));
    if (!out.UploadId) throw new StoreError(`${this.t.url}: CreateMultipartUpload returned no upload id`);
    this.uploadId = out.UploadId;
  }

  private async uploadPart(partNumber: number, part: Buffer): Promise<string> {
    const { sdk, client } = this.t.handle;
    // No Content-MD5: SigV4 signs each part's SHA-256 (x-amz-content-sha256, over http and
    // https alike) and the server checks the body against it; an MD5 on top cost ~40% of the
    // uploader's CPU (bench/s3) and checked nothing more.
    const input = {
      Bucket: this.t.bucket,
      Key: this.t.key,
      UploadId: this.uploadId,
      PartNumber: partNumber,
      Body: part,
      ContentLength: part.length,
    };
    const out = await this.call(`UploadPart ${partNumber}`, () => client.send(new sdk.UploadPartCommand(input), this.sendOpts()));
    if (!out.ETag) throw new StoreError(`${this.t.url}: UploadPart ${partNumber} returned no ETag`);
    return out.ETag;
  }

  private async complete(): Promise<void> {
    const { sdk, client } = this.t.handle;
    const Parts = [...this.done].sort((a, b) => a.PartNumber - b.PartNumber);
    const input = { Bucket: this.t.bucket, Key: this.t.key, UploadId: this.uploadId, MultipartUpload: { Parts } };
    await this.call('CompleteMultipartUpload', () => client.send(new sdk.CompleteMultipartUploadCommand(input), this.sendOpts()));
    this.uploadId = undefined; // completed: nothing left to abort
    const head = await this.call('HeadObject', () => client.send(new sdk.HeadObjectCommand({ Bucket: this.t.bucket, Key: this.t.key })));
    if (head.ContentLength !== this.meter.bytes) {
      await this.call('DeleteObject', () => client.send(new sdk.DeleteObjectCommand({ Bucket: this.t.bucket, Key: this.t.key })));
      throw new StoreIntegrityError(`${this.t.url}: stored ${head.ContentLength} bytes but sent ${this.meter.bytes}; deleted it`);
    }
  }

  // After any failure: let in-flight parts settle, abort the upload, and return the error to throw:
  // S3 failures are StoreErrors already; anything else came from the body and is returned as is.
  private async cleanup(err: unknown): Promise<unknown> {
    this.fail(err);
    await Promise.allSettled([...this.inflight]);
    const first = this.failure;
    const uploadId = this.uploadId;
    if (uploadId === undefined) return first;
    const { sdk, client } = this.t.handle;
    try {
      const input = { Bucket: this.t.bucket, Key: this.t.key, UploadId: uploadId };
      await s3Call(this.t, 'AbortMultipartUpload', () => client.send(new sdk.AbortMultipartUploadCommand(input)));
      return first;
    } catch (abortErr) {
      const why = abortErr instanceof Error ? abortErr.name : 'error';
      const what = first instanceof StoreError ? first.message : `${this.t.url}: the input failed: ${String(first)}`;
      return new S3UploadAbandonedError(
        `${what}; multipart upload ${uploadId} is left behind (AbortMultipartUpload failed too: ${why}); abort it later or let a lifecycle rule expire it`,
        uploadId,
        { cause: first },
      );
    }
  }

  private call<T>(op: string, fn: () => Promise<T>): Promise<T> {
    return s3Call(this.t, op, fn, this.opts.signal);
  }

  private sendOpts(): { abortSignal?: AbortSignal } {
    return sendOpts(this.opts.signal);
  }
}
