import { createHash } from 'node:crypto';
import type { PutOptions } from './object-store.js';
import type { S3Handle } from './s3-client.js';
import { isRetryableS3Error, mapS3Error } from './s3-errors.js';
import type { S3Settings } from './s3-settings.js';
import { withRetries } from './retry.js';

// One object of one bucket, with what every request about it needs.
export interface S3Target {
  handle: S3Handle;
  settings: S3Settings;
  bucket: string;
  key: string; // full key, prefix included
  url: string; // s3://bucket/key, for messages
  storeUrl: string; // s3://bucket/prefix
  credentialsHint: string;
}

// Why: every S3 request goes through here: bounded retries for transient failures, then one
// typed one-line error naming the operation.
export async function s3Call<T>(t: S3Target, op: string, fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
  try {
    return await withRetries(fn, t.settings.retry, isRetryableS3Error, signal);
  } catch (err) {
    throw mapS3Error(err, { url: t.url, storeUrl: t.storeUrl, op, credentialsHint: t.credentialsHint });
  }
}

// Why: small objects (manifests, streams shorter than one part) go up in one PutObject with a
// Content-MD5 the server checks. `storageClass` defaults to the configured one; manifests pass
// null (they must stay readable at once: an archived manifest would hide its whole chain).
export async function putWhole(
  t: S3Target,
  body: Buffer,
  opts: Omit<PutOptions, 'sizeHint'> = {},
  storageClass: string | null = t.settings.storageClass ?? null,
): Promise<void> {
  const { sdk, client } = t.handle;
  const md5 = createHash('md5').update(body).digest('base64');
  const input = {
    Bucket: t.bucket,
    Key: t.key,
    Body: body,
    ContentLength: body.length,
    ContentMD5: md5,
    ...(opts.metadata ? { Metadata: opts.metadata } : {}),
    ...(storageClass ? { StorageClass: storageClass as never } : {}),
  };
  await s3Call(t, 'PutObject', () => client.send(new sdk.PutObjectCommand(input), sendOpts(opts.signal)), opts.signal);
}

// Why: the SDK wants `{ abortSignal }` or nothing; exactOptionalPropertyTypes-friendly.
export function sendOpts(signal?: AbortSignal): { abortSignal?: AbortSignal } {
  return signal ? { abortSignal: signal } : {};
}
