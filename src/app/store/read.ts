import type { Readable } from 'node:stream';
import { type Checked, type Manifest, readManifest } from '../../domain/store/manifest.js';
import { treePrefixes } from '../../domain/store/names.js';
import { type ListedObject, type StoreIndex, buildIndex, manifestKeysOf } from '../../domain/store/dataset-index.js';
import type { BlobStore } from './ports.js';

export type ManifestCache = Map<string, Checked<Manifest>>;

export interface ReadIndex extends StoreIndex {
  readonly listing: readonly ListedObject[];
}

// List the store (under `root` when given: that dataset and its descendants) and read every
// manifest in it, a few at a time. Manifests already in `cache` are not read again.
export async function readStoreIndex(store: BlobStore, root?: string, cache: ManifestCache = new Map()): Promise<ReadIndex> {
  const listing: ListedObject[] = [];
  for (const prefix of root === undefined ? [''] : treePrefixes(root)) {
    for await (const o of store.list(prefix))
      listing.push({ key: o.key, bytes: o.bytes, ...(o.lastModified ? { lastModifiedMs: o.lastModified.getTime() } : {}) });
  }
  const todo = manifestKeysOf(listing).filter((k) => !cache.has(k));
  const read = new Map(cache);
  await inParallel(todo, 8, async (key) => {
    const m = await readOne(store, key);
    read.set(key, m);
    if (m.ok) cache.set(key, m); // a failed read is tried again by the next listing
  });
  return { ...buildIndex(listing, read), listing };
}

async function readOne(store: BlobStore, key: string): Promise<Checked<Manifest>> {
  try {
    return readManifest(await text(await store.get(key), 1 << 20), key);
  } catch (e) {
    return { ok: false, problem: `${key}: cannot be read (${e instanceof Error ? e.message : String(e)})` };
  }
}

// A small object's text; a "manifest" larger than `max` is not one.
async function text(stream: Readable, max: number): Promise<string> {
  const parts: Buffer[] = [];
  let n = 0;
  for await (const c of stream) {
    n += (c as Buffer).length;
    if (n > max) {
      stream.destroy();
      return '';
    }
    parts.push(c as Buffer);
  }
  return Buffer.concat(parts).toString('utf8');
}

// Run `fn` over items with at most `limit` at once (small S3 requests are latency-bound).
export async function inParallel<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
