import { afterAll, describe, expect, it } from 'vitest';
import { S3UnreachableError, StoreAbortedError } from '../../src/adapters/store/index.js';
import { startFlakyProxy } from './flaky-proxy.js';
import { MiB, newBucket, openS3, pendingUploads, randomStream, rawKeys, sha256Of, swift } from './fixtures.js';

const bucket = await newBucket('fail');

describe('S3 part failures', () => {
  const closers: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of closers) await c();
  });

  it('retries a part whose connection is cut mid-transfer, and completes intact', async () => {
    const proxy = await startFlakyProxy(swift().endpoint, 2 * MiB, 1);
    const store = await openS3(`s3://${bucket}`, {}, { ...swift(), endpoint: proxy.endpoint });
    closers.push(
      () => store.close(),
      () => proxy.close(),
    );
    const src = randomStream(17 * MiB);
    const put = await store.put('retried', src.stream);
    expect(proxy.cuts).toBe(1);
    expect(put).toMatchObject({ bytes: 17 * MiB, parts: 4, sha256: src.sha256() });
    expect((await sha256Of(await store.get('retried'))).sha256).toBe(src.sha256());
  });

  it('gives up after the bounded retries, aborts the multipart upload, and leaves no object', async () => {
    const proxy = await startFlakyProxy(swift().endpoint, 2 * MiB, Infinity);
    const store = await openS3(`s3://${bucket}`, {}, { ...swift(), endpoint: proxy.endpoint });
    closers.push(
      () => store.close(),
      () => proxy.close(),
    );
    const src = randomStream(30 * MiB);
    const err = await store.put('doomed', src.stream).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(S3UnreachableError);
    expect(String(err)).toMatch(/^S3UnreachableError: s3:\/\/fail-\w+\/doomed: UploadPart \d: the server did not answer/);
    expect(String(err).split('\n')).toHaveLength(1);
    // 3 attempts (1 + 2 retries) for the first failing part, maybe a few more for parts in flight
    expect(proxy.cuts).toBeGreaterThanOrEqual(3);
    expect(proxy.cuts).toBeLessThanOrEqual(3 * 3);
    expect(await rawKeys(bucket)).not.toContain('doomed');
    expect(await pendingUploads(bucket)).toEqual([]);
    expect(src.stream.destroyed).toBe(true); // the producer is told to stop
  });

  it('a cancelled upload (AbortSignal) is aborted on the server and rejects with StoreAbortedError', async () => {
    const store = await openS3(`s3://${bucket}`);
    closers.push(() => store.close());
    const ac = new AbortController();
    const src = randomStream(60 * MiB);
    let seen = 0;
    src.stream.on('data', (c: Buffer) => {
      seen += c.length;
      if (seen > 18 * MiB) ac.abort();
    });
    const err = await store.put('cancelled', src.stream, { signal: ac.signal }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreAbortedError);
    expect(await rawKeys(bucket)).not.toContain('cancelled');
    expect(await pendingUploads(bucket)).toEqual([]);
  });
});
