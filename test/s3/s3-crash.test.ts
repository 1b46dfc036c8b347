import { Readable } from 'node:stream';
import { AbortMultipartUploadCommand } from '@aws-sdk/client-s3';
import { afterAll, describe, expect, it } from 'vitest';
import { S3UnreachableError, S3UploadAbandonedError, StoreError } from '../../src/adapters/store/index.js';
import { startSwift, type SwiftServer } from '../helpers/swift.js';
import { MiB, newBucket, openS3, pendingUploads, rawClient, rawKeys } from './fixtures.js';

// This file runs its own Swift, since it kills it.
describe('Swift killed mid-upload', () => {
  const servers: SwiftServer[] = [];
  afterAll(async () => {
    for (const s of servers) await s.stop();
  });

  it('the upload fails with a one-line report; after a restart no object exists and any upload id was reported', async () => {
    const sw = await startSwift({ keep: true });
    servers.push(sw);
    const bucket = await newBucket('crash', sw);
    const store = await openS3(`s3://${bucket}`, { concurrency: 2, retry: { retries: 2, baseDelayMs: 200, maxDelayMs: 800 } }, sw);
    const block = Buffer.alloc(64 * 1024, 7);
    let sent = 0;
    const body = new Readable({
      read() {
        if (sent === 12 * MiB) sw.killServers(); // parts 1-2 dispatched, part 3 filling
        if (sent >= 40 * MiB) return void this.push(null);
        sent += block.length;
        this.push(block);
      },
    });
    const t0 = Date.now();
    const err = await store.put('victim', body).catch((e: unknown) => e);
    const secs = (Date.now() - t0) / 1000;
    console.log(`failed after ${secs.toFixed(1)} s with: ${String(err)}`);
    expect(err).toBeInstanceOf(StoreError);
    expect(String(err).split('\n')).toHaveLength(1);
    expect(err instanceof S3UploadAbandonedError || err instanceof S3UnreachableError).toBe(true);
    expect(body.destroyed).toBe(true);
    expect(sent).toBeLessThan(40 * MiB);
    await store.close();

    await sw.stop();
    const again = await startSwift({ port: sw.port, dir: sw.dir });
    servers.push(again);
    expect(await rawKeys(bucket, again)).toEqual([]);
    const pending = await pendingUploads(bucket, again);
    if (err instanceof S3UploadAbandonedError) {
      expect(String(err)).toContain(err.uploadId);
      expect(pending.map((u) => u.UploadId)).toEqual([err.uploadId]);
      const c = rawClient(again);
      await c.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: 'victim', UploadId: err.uploadId }));
      c.destroy();
    }
    expect(await pendingUploads(bucket, again)).toEqual([]);
  });
});
