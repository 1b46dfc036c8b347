import { createReadStream } from 'node:fs';
import { open, readFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { ChunkMeter } from '../stream/hash-counter.js';
import { StoreAbortedError, StoreIntegrityError } from './errors.js';

// The object.json written last inside an object's directory (see file-store.ts for the layout).
export interface FileObjectMeta {
  format: 'holdfast-file-object';
  version: 1;
  bytes: number;
  sha256: string;
  parts: number;
  chunkSize: number;
  metadata: Record<string, string>;
  created: string;
}

export const META_FILE = 'object.json';

// part-000000, part-000001, ...: `cat DIR/part-*` joins them in order.
export function chunkName(index: number): string {
  return `part-${String(index).padStart(6, '0')}`;
}

// Why: streams body into chunk files of at most chunkSize bytes, each fsync'd before the next,
// reading only as fast as the disk takes it.
export async function writeChunks(
  dir: string,
  body: Readable,
  chunkSize: number,
  signal?: AbortSignal,
): Promise<{ bytes: number; sha256: string; parts: number }> {
  const meter = new ChunkMeter();
  let index = 0;
  let inChunk = 0;
  let handle: FileHandle | undefined;
  try {
    for await (const raw of body) {
      if (signal?.aborted) throw new StoreAbortedError('upload cancelled');
      const chunk: Buffer = typeof raw === 'string' ? Buffer.from(raw) : (raw as Buffer);
      meter.update(chunk);
      for (let off = 0; off < chunk.length; ) {
        handle ??= await open(join(dir, chunkName(index)), 'wx', 0o600);
        const n = Math.min(chunk.length - off, chunkSize - inChunk);
        await writeAll(handle, chunk.subarray(off, off + n));
        off += n;
        inChunk += n;
        if (inChunk === chunkSize) {
          await finish(handle);
          handle = undefined;
          index++;
          inChunk = 0;
        }
      }
    }
    if (handle || index === 0) {
      await finish(handle ?? (await open(join(dir, chunkName(index)), 'wx', 0o600)));
      handle = undefined;
      index++;
    }
  } finally {
    await handle?.close();
  }
  return { bytes: meter.bytes, sha256: meter.digest(), parts: index };
}

async function writeAll(handle: FileHandle, buf: Buffer): Promise<void> {
  for (let off = 0; off < buf.length; ) off += (await handle.write(buf, off, buf.length - off)).bytesWritten;
}

async function finish(handle: FileHandle): Promise<void> {
  await handle.sync();
  await handle.close();
}

// Why: durability of a rename or a new file needs an fsync of the directory holding it.
export async function fsyncDir(dir: string): Promise<void> {
  const h = await open(dir, 'r');
  try {
    await h.sync();
  } finally {
    await h.close();
  }
}

// Why: writes object.json (the completion record inside the temp dir) durably.
export async function writeMeta(dir: string, meta: FileObjectMeta): Promise<void> {
  const h = await open(join(dir, META_FILE), 'wx', 0o600);
  try {
    await writeAll(h, Buffer.from(JSON.stringify(meta, null, 2) + '\n'));
    await h.sync();
  } finally {
    await h.close();
  }
}

export async function readMeta(dir: string): Promise<FileObjectMeta> {
  return JSON.parse(await readFile(join(dir, META_FILE), 'utf8')) as FileObjectMeta;
}

// Why: get() streams the chunks back in order and fails if any is missing or short.
export async function* readChunks(dir: string, meta: FileObjectMeta, url: string): AsyncGenerator<Buffer> {
  let total = 0;
  for (let i = 0; i < meta.parts; i++) {
    try {
      for await (const c of createReadStream(join(dir, chunkName(i)))) {
        total += (c as Buffer).length;
        yield c as Buffer;
      }
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? String(err);
      throw new StoreIntegrityError(`${url}: cannot read ${chunkName(i)} (${code})`, { cause: err });
    }
  }
  if (total !== meta.bytes) throw new StoreIntegrityError(`${url}: chunks hold ${total} bytes, object.json says ${meta.bytes}`);
}
