import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { checkKey, parseDestination } from './dest-url.js';
import { S3RequestError } from './s3-errors.js';
import { StoreKeyError, StoreNotFoundError } from './errors.js';
import type { ObjectInfo, ObjectStore, PutOptions, PutResult } from './object-store.js';
import { createS3Handle, type S3Handle } from './s3-client.js';
import type { S3Credentials } from './s3-credentials.js';
import { ensureTransition, type TransitionOutcome } from './s3-lifecycle.js';
import { uploadStream } from './s3-multipart.js';
import { putWhole, s3Call, type S3Target } from './s3-ops.js';
import type { S3Settings } from './s3-settings.js';

const DELETE_BATCH = 1000; // S3's (and Swift's max_multi_delete_objects) limit per DeleteObjects

// Why: the ObjectStore for s3://BUCKET/PREFIX on any S3-compatible server (tested against Swift).
export class S3Store implements ObjectStore {
  private constructor(
    readonly url: string,
    private readonly bucket: string,
    private readonly prefix: string,
    private readonly handle: S3Handle,
    private readonly settings: S3Settings,
    private readonly credentialsHint: string,
    private readonly signal?: AbortSignal, // default for put(): an interrupted run aborts the upload
  ) {}

  // Loads the SDK (lazily) and builds the client; makes no request.
  static async open(dest: string, settings: S3Settings, credentials: S3Credentials, signal?: AbortSignal): Promise<S3Store> {
    const d = parseDestination(dest);
    if (d.kind !== 's3') throw new StoreKeyError(`${dest}: not an s3:// destination`);
    const handle = await createS3Handle(settings, credentials);
    return new S3Store(d.url, d.bucket, d.prefix, handle, settings, credentials.source, signal);
  }

  async check(): Promise<void> {
    const { sdk, client } = this.handle;
    const input = { Bucket: this.bucket, Prefix: this.prefix, MaxKeys: 1 };
    await s3Call(this.target(''), 'ListObjectsV2', () => client.send(new sdk.ListObjectsV2Command(input)));
  }

  async put(key: string, body: Readable, opts: PutOptions = {}): Promise<PutResult> {
    const signal = opts.signal ?? this.signal;
    return { key, ...(await uploadStream(this.target(key), body, { ...opts, ...(signal ? { signal } : {}) })) };
  }

  async putSmall(key: string, data: Buffer | string, opts: Omit<PutOptions, 'sizeHint'> = {}): Promise<PutResult> {
    const body = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    await putWhole(this.target(key), body, opts, null); // manifests: never an archive class
    return { key, bytes: body.length, sha256: createHash('sha256').update(body).digest('hex'), parts: 1 };
  }

  async get(key: string): Promise<Readable> {
    const { sdk, client } = this.handle;
    const t = this.target(key);
    const out = await s3Call(t, 'GetObject', () => client.send(new sdk.GetObjectCommand({ Bucket: this.bucket, Key: t.key })));
    if (!out.Body) throw new StoreNotFoundError(`${t.url}: GetObject returned no body`);
    return out.Body as Readable;
  }

  async head(key: string): Promise<ObjectInfo | undefined> {
    const { sdk, client } = this.handle;
    const t = this.target(key);
    try {
      const out = await s3Call(t, 'HeadObject', () => client.send(new sdk.HeadObjectCommand({ Bucket: this.bucket, Key: t.key })));
      return {
        key,
        bytes: out.ContentLength ?? 0,
        metadata: out.Metadata ?? {},
        ...(out.LastModified ? { lastModified: out.LastModified } : {}),
      };
    } catch (err) {
      if (err instanceof StoreNotFoundError) return undefined;
      throw err;
    }
  }

  async *list(prefix = ''): AsyncIterable<ObjectInfo> {
    const { sdk, client } = this.handle;
    let token: string | undefined;
    do {
      const input = { Bucket: this.bucket, Prefix: this.prefix + prefix, ...(token ? { ContinuationToken: token } : {}) };
      const page = await s3Call(this.target(''), 'ListObjectsV2', () => client.send(new sdk.ListObjectsV2Command(input)));
      for (const o of page.Contents ?? []) {
        if (!o.Key?.startsWith(this.prefix)) continue;
        yield { key: o.Key.slice(this.prefix.length), bytes: o.Size ?? 0, ...(o.LastModified ? { lastModified: o.LastModified } : {}) };
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  async delete(keys: readonly string[]): Promise<void> {
    const { sdk, client } = this.handle;
    for (let i = 0; i < keys.length; i += DELETE_BATCH) {
      const batch = keys.slice(i, i + DELETE_BATCH).map((k) => this.target(k).key);
      const input = { Bucket: this.bucket, Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true } };
      const out = await s3Call(this.target(''), 'DeleteObjects', () => client.send(new sdk.DeleteObjectsCommand(input)));
      const errors = (out.Errors ?? []).filter((e) => e.Code !== 'NoSuchKey');
      const first = errors[0];
      if (first) {
        throw new S3RequestError(
          `${this.url}: DeleteObjects failed for ${errors.length} key(s), first ${first.Key}: ${first.Code} ${first.Message ?? ''}`.trim(),
        );
      }
    }
  }

  async close(): Promise<void> {
    this.handle.client.destroy();
  }

  // A bucket lifecycle rule moving objects under `subPrefix` (within this store) to `storageClass`
  // after `days` days (s3_transition_days); other rules of the bucket are kept.
  transition(subPrefix: string, days: number, storageClass: string): Promise<TransitionOutcome> {
    return ensureTransition(this.target(''), this.prefix + subPrefix, days, storageClass);
  }

  // The request context of one key ('' = the store itself).
  private target(key: string): S3Target {
    if (key !== '') checkKey(key);
    const full = this.prefix + key;
    return {
      handle: this.handle,
      settings: this.settings,
      bucket: this.bucket,
      key: full,
      url: key === '' ? this.url : `s3://${this.bucket}/${full}`,
      storeUrl: this.url,
      credentialsHint: this.credentialsHint,
    };
  }
}
