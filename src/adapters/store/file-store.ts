import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { checkKey, parseDestination } from './dest-url.js';
import { StoreKeyError, StoreNotFoundError } from './errors.js';
import { FileStoreError, mapFsError } from './file-errors.js';
import { fsyncDir, readChunks, readMeta, writeChunks, writeMeta, type FileObjectMeta } from './file-chunks.js';
import type { ObjectInfo, ObjectStore, PutOptions, PutResult } from './object-store.js';

export const DEFAULT_CHUNK_SIZE = 2 * 1024 * 1024 * 1024; // 2 GiB, like ZFSBackup's directory method

export interface FileStoreOptions {
  chunkSize?: number; // max bytes per chunk file
  signal?: AbortSignal; // default for put(): an interrupted run cancels a streaming put
}

const SUFFIX = '.chunks';

// Why: the ObjectStore for file:///PATH. Object KEY is the directory ROOT/KEY.chunks holding
// part-000000.. (each <= chunkSize) and object.json. It is built as ROOT/dir/.tmp-NAME-RANDOM,
// every file fsync'd, then renamed into place: an object exists only once complete.
export class FileStore implements ObjectStore {
  private constructor(
    readonly url: string,
    private readonly root: string,
    private readonly chunkSize: number,
    private readonly signal?: AbortSignal,
  ) {}

  // Parses the destination; makes no filesystem change.
  static open(dest: string, opts: FileStoreOptions = {}): FileStore {
    const d = parseDestination(dest);
    if (d.kind !== 'file') throw new StoreKeyError(`${dest}: not a file:// destination`);
    const chunkSize = opts.chunkSize ?? DEFAULT_CHUNK_SIZE;
    if (!Number.isInteger(chunkSize) || chunkSize < 1) throw new StoreKeyError(`${dest}: bad chunk size ${chunkSize}`);
    return new FileStore(d.url, d.root, chunkSize, opts.signal);
  }

  async check(): Promise<void> {
    try {
      if (!(await stat(this.root)).isDirectory()) throw new FileStoreError(`${this.url}: not a directory`);
      await access(this.root, constants.W_OK);
    } catch (err) {
      throw mapFsError(err, this.url, 'check');
    }
  }

  async put(key: string, body: Readable, opts: PutOptions = {}): Promise<PutResult> {
    const final = this.objectDir(key);
    const parent = dirname(final);
    const tmp = join(parent, `.tmp-${basename(final)}-${randomBytes(6).toString('hex')}`);
    try {
      await mkdir(tmp, { recursive: true, mode: 0o700 });
      const r = await writeChunks(tmp, body, this.chunkSize, opts.signal ?? this.signal);
      const meta: FileObjectMeta = {
        format: 'holdfast-file-object',
        version: 1,
        ...r,
        chunkSize: this.chunkSize,
        metadata: opts.metadata ?? {},
        created: new Date().toISOString(),
      };
      await writeMeta(tmp, meta);
      await fsyncDir(tmp);
      await this.replace(tmp, final);
      await fsyncDir(parent);
      return { key, ...r };
    } catch (err) {
      body.destroy();
      await rm(tmp, { recursive: true, force: true });
      throw mapFsError(err, this.url, `put ${key}`);
    }
  }

  putSmall(key: string, data: Buffer | string, opts: Omit<PutOptions, 'sizeHint'> = {}): Promise<PutResult> {
    return this.put(key, Readable.from([Buffer.from(data)]), opts);
  }

  async get(key: string): Promise<Readable> {
    const dir = this.objectDir(key);
    const meta = await this.meta(key, dir);
    if (!meta) throw new StoreNotFoundError(`${this.url}: ${key}: no such object`);
    return Readable.from(readChunks(dir, meta, `${this.url}/${key}`), { objectMode: false });
  }

  async head(key: string): Promise<ObjectInfo | undefined> {
    const meta = await this.meta(key, this.objectDir(key));
    return meta && { key, bytes: meta.bytes, metadata: meta.metadata, lastModified: new Date(meta.created) };
  }

  async *list(prefix = ''): AsyncIterable<ObjectInfo> {
    const found: ObjectInfo[] = [];
    await this.walk(this.root, '', prefix, found);
    found.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    yield* found;
  }

  async delete(keys: readonly string[]): Promise<void> {
    for (const key of keys) {
      const dir = this.objectDir(key);
      const trash = join(dirname(dir), `.trash-${basename(dir)}-${randomBytes(6).toString('hex')}`);
      try {
        await rename(dir, trash); // atomic: the object vanishes whole, never half-deleted
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw mapFsError(err, this.url, `delete ${key}`);
      }
      await rm(trash, { recursive: true, force: true });
    }
  }

  async close(): Promise<void> {}

  private objectDir(key: string): string {
    checkKey(key);
    return join(this.root, key + SUFFIX);
  }

  private async meta(key: string, dir: string): Promise<FileObjectMeta | undefined> {
    try {
      return await readMeta(dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw mapFsError(err, this.url, `read ${key}`);
    }
  }

  // rename() cannot replace a non-empty directory: move the old object aside first.
  private async replace(tmp: string, final: string): Promise<void> {
    try {
      await rename(tmp, final);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw err;
      const old = join(dirname(final), `.trash-${basename(final)}-${randomBytes(6).toString('hex')}`);
      await rename(final, old);
      await rename(tmp, final);
      await rm(old, { recursive: true, force: true });
    }
  }

  private async walk(abs: string, rel: string, prefix: string, out: ObjectInfo[]): Promise<void> {
    let entries;
    try {
      entries = await readdir(abs, { withFileTypes: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw mapFsError(err, this.url, 'list');
    }
    for (const e of entries) {
      if (!e.isDirectory() || e.name.startsWith('.tmp-') || e.name.startsWith('.trash-')) continue;
      if (e.name.endsWith(SUFFIX)) {
        const key = rel + e.name.slice(0, -SUFFIX.length);
        const info = key.startsWith(prefix) ? await this.head(key).catch(() => undefined) : undefined;
        if (info) out.push(info);
        continue;
      }
      const sub = `${rel}${e.name}/`;
      if (sub.startsWith(prefix) || prefix.startsWith(sub)) await this.walk(join(abs, e.name), sub, prefix, out);
    }
  }
}
