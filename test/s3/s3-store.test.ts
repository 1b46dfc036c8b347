import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { StoreKeyError, StoreNotFoundError } from '../../src/adapters/store/index.js';
import { MiB, newBucket, openS3, pendingUploads, randomStream, rawKeys, sha256Of } from './fixtures.js';

const bucket = await newBucket('store');
const store = await openS3(`s3://${bucket}/backups/host1`);
afterAll(() => store.close());

describe('S3Store against Swift', () => {
  it('uploads ~40 MiB in 5 MiB parts (concurrency 3) and reads back the same sha256', async () => {
    const total = 40 * MiB + 12345;
    const src = randomStream(total);
    const t0 = performance.now();
    const put = await store.put('tank/data@a.zfs', src.stream, { metadata: { dataset: 'tank/data' } });
    const secs = (performance.now() - t0) / 1000;
    console.log(`40 MiB multipart: ${(total / MiB / secs).toFixed(1)} MiB/s, ${put.parts} parts`);
    expect(put).toMatchObject({ key: 'tank/data@a.zfs', bytes: total, parts: 9, sha256: src.sha256() });
    const back = await sha256Of(await store.get('tank/data@a.zfs'));
    expect(back).toEqual({ sha256: src.sha256(), bytes: total });
    expect(await store.head('tank/data@a.zfs')).toMatchObject({ bytes: total, metadata: { dataset: 'tank/data' } });
    expect(await rawKeys(bucket)).toContain('backups/host1/tank/data@a.zfs');
    expect(await pendingUploads(bucket)).toEqual([]);
  });

  it('sends a stream shorter than one part as a single PutObject; empty streams too', async () => {
    const src = randomStream(3 * MiB);
    expect(await store.put('small', src.stream)).toMatchObject({ bytes: 3 * MiB, parts: 1, sha256: src.sha256() });
    const empty = await store.put('empty', Readable.from([]));
    expect(empty).toMatchObject({ bytes: 0, parts: 1, sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' });
    expect((await sha256Of(await store.get('empty'))).bytes).toBe(0);
  });

  it('an exact multiple of the part size completes without an empty trailing part', async () => {
    const src = randomStream(10 * MiB);
    expect(await store.put('exact', src.stream)).toMatchObject({ bytes: 10 * MiB, parts: 2, sha256: src.sha256() });
    expect((await sha256Of(await store.get('exact'))).sha256).toBe(src.sha256());
  });

  it('putSmall writes a manifest; head/get of missing keys', async () => {
    const json = JSON.stringify({ dataset: 'tank/data', snapshot: 'a' });
    const r = await store.putSmall('tank/data@a.json', json);
    expect(r.bytes).toBe(Buffer.byteLength(json));
    const text = Buffer.concat(await (await store.get('tank/data@a.json')).toArray()).toString();
    expect(text).toBe(json);
    expect(await store.head('nope')).toBeUndefined();
    await expect(store.get('nope')).rejects.toThrow(StoreNotFoundError);
    await expect(store.putSmall('../escape', 'x')).rejects.toThrow(StoreKeyError);
  });

  it('lists > 1000 keys across pages and deletes them in batches (DeleteObjects with Content-MD5)', async () => {
    const keys = Array.from({ length: 1005 }, (_, i) => `many/k${String(i).padStart(4, '0')}`);
    const wide = await openS3(`s3://${bucket}/backups/host1`, { concurrency: 28 }); // 32 sockets
    let next = 0;
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        while (next < keys.length) {
          const k = keys[next++] as string;
          await wide.putSmall(k, k);
        }
      }),
    );
    await wide.close();
    const listed: string[] = [];
    for await (const o of store.list('many/')) listed.push(o.key);
    expect(listed).toEqual(keys);
    await store.delete([...keys, 'many/never-existed']);
    const after: string[] = [];
    for await (const o of store.list('many/')) after.push(o.key);
    expect(after).toEqual([]);
  });

  it('check() passes with good credentials', async () => {
    await expect(store.check()).resolves.toBeUndefined();
  });
});
