import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { FileStore, openStore, StoreIntegrityError, StoreKeyError, StoreNotFoundError } from '../../src/adapters/store/index.js';

const MiB = 1024 * 1024;
const root = await mkdtemp(join(tmpdir(), 'holdfast-filestore-'));
afterAll(() => rm(root, { recursive: true, force: true }));
const store = FileStore.open(`file://${root}`, { chunkSize: MiB });

function pieces(data: Buffer, size = 100_000): Readable {
  const out: Buffer[] = [];
  for (let off = 0; off < data.length; off += size) out.push(data.subarray(off, off + size));
  return Readable.from(out);
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const readAll = async (r: Readable) => Buffer.concat((await r.toArray()) as Buffer[]);

describe('FileStore', () => {
  it('splits an object into chunk files of at most chunkSize; cat of the chunks is the object', async () => {
    const data = randomBytes(5 * MiB + 123);
    const put = await store.put('host/tank/data@a.zfs', pieces(data), { metadata: { full: 'true' } });
    expect(put).toEqual({ key: 'host/tank/data@a.zfs', bytes: data.length, sha256: sha(data), parts: 6 });
    const dir = join(root, 'host/tank/data@a.zfs.chunks');
    const files = (await readdir(dir)).sort();
    expect(files).toEqual(['object.json', 'part-000000', 'part-000001', 'part-000002', 'part-000003', 'part-000004', 'part-000005']);
    const joined = Buffer.concat(await Promise.all(files.filter((f) => f.startsWith('part-')).map((f) => readFile(join(dir, f)))));
    expect(joined.equals(data)).toBe(true);
    expect((await readAll(await store.get('host/tank/data@a.zfs'))).equals(data)).toBe(true);
    expect(await store.head('host/tank/data@a.zfs')).toMatchObject({ bytes: data.length, metadata: { full: 'true' } });
    expect(JSON.parse(await readFile(join(dir, 'object.json'), 'utf8'))).toMatchObject({ sha256: sha(data), parts: 6, chunkSize: MiB });
  });

  it('handles exact multiples of the chunk size and empty objects', async () => {
    const exact = randomBytes(2 * MiB);
    expect(await store.put('exact', pieces(exact))).toMatchObject({ parts: 2, bytes: 2 * MiB });
    expect((await readAll(await store.get('exact'))).equals(exact)).toBe(true);
    expect(await store.put('empty', Readable.from([]))).toMatchObject({ parts: 1, bytes: 0 });
    expect((await readAll(await store.get('empty'))).length).toBe(0);
  });

  it('an interrupted put leaves no object and no temp files; an old object survives a failed overwrite', async () => {
    await store.putSmall('keep/x', 'old');
    let reads = 0;
    const broken = new Readable({
      read() {
        this.push(randomBytes(300_000)); // 1.5 MB in: one chunk file complete, the next one half
        if (++reads === 5) this.destroy(new Error('zfs send died'));
      },
    });
    await expect(store.put('keep/x', broken)).rejects.toThrow('zfs send died');
    await expect(store.put('keep/y', Readable.from([Buffer.from('a')]), { signal: AbortSignal.abort() })).rejects.toThrow(/cancelled/);
    expect(await readdir(join(root, 'keep'))).toEqual(['x.chunks']);
    expect((await readAll(await store.get('keep/x'))).toString()).toBe('old');
    await store.putSmall('keep/x', 'new');
    expect((await readAll(await store.get('keep/x'))).toString()).toBe('new');
    expect(await readdir(join(root, 'keep'))).toEqual(['x.chunks']);
  });

  it('lists by prefix in key order, skipping incomplete objects; deletes', async () => {
    for (const k of ['l/b', 'l/a', 'l/sub/c', 'l2/z', 'lx']) await store.putSmall(k, k);
    const keys = async (p: string) => {
      const out: string[] = [];
      for await (const o of store.list(p)) out.push(o.key);
      return out;
    };
    expect(await keys('l/')).toEqual(['l/a', 'l/b', 'l/sub/c']);
    expect(await keys('l')).toEqual(['l/a', 'l/b', 'l/sub/c', 'l2/z', 'lx']);
    expect(await keys('l/s')).toEqual(['l/sub/c']);
    await store.delete(['l/a', 'l/sub/c', 'l/never']);
    expect(await keys('l/')).toEqual(['l/b']);
  });

  it('get/head of missing keys; a missing chunk is an integrity error; bad keys are refused', async () => {
    expect(await store.head('nope')).toBeUndefined();
    await expect(store.get('nope')).rejects.toThrow(StoreNotFoundError);
    await store.put('damaged', pieces(randomBytes(3 * MiB)));
    await unlink(join(root, 'damaged.chunks', 'part-000001'));
    await expect(readAll(await store.get('damaged'))).rejects.toThrow(StoreIntegrityError);
    for (const bad of ['', '/abs', '../up', 'a/../b', 'a//b', 'x.chunks', '.tmp-x', 'dir/']) {
      await expect(store.putSmall(bad, 'x'), bad).rejects.toThrow(StoreKeyError);
    }
  });

  it('check() and openStore(file://) with the default 2 GiB chunks', async () => {
    await expect(store.check()).resolves.toBeUndefined();
    await expect(FileStore.open(`file://${root}/missing`).check()).rejects.toThrow(StoreNotFoundError);
    const s = await openStore(`file://${root}/other`);
    await expect(s.putSmall('a', 'b')).resolves.toMatchObject({ parts: 1 });
    expect(() => FileStore.open('s3://bucket/x')).toThrow(StoreKeyError);
  });
});
