import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { CreateBucketCommand, ListMultipartUploadsCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { inject } from 'vitest';
import { S3Credentials } from '../../src/adapters/store/s3-credentials.js';
import { resolveS3Settings, type S3Settings } from '../../src/adapters/store/s3-settings.js';
import { S3Store } from '../../src/adapters/store/s3-store.js';
import type { SwiftEndpoint } from '../helpers/swift.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export const MiB = 1024 * 1024;
export const FAST_RETRY = { retries: 2, baseDelayMs: 100, maxDelayMs: 400 };

export function swift(): SwiftEndpoint {
  return inject('swift');
}

// A plain SDK client for test set-up and for checking what the server really holds.
export function rawClient(sw: SwiftEndpoint = swift()): S3Client {
  return new S3Client({
    endpoint: sw.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: sw.accessKeyId, secretAccessKey: sw.secretAccessKey },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

export async function newBucket(prefix = 'hf', sw: SwiftEndpoint = swift()): Promise<string> {
  const name = `${prefix}-${randomBytes(5).toString('hex')}`;
  const c = rawClient(sw);
  await c.send(new CreateBucketCommand({ Bucket: name }));
  c.destroy();
  return name;
}

export async function openS3(dest: string, over: Partial<S3Settings> = {}, sw: SwiftEndpoint = swift(), secret?: string): Promise<S3Store> {
  const settings = resolveS3Settings({ endpoint: sw.endpoint, partSize: 5 * MiB, concurrency: 3, retry: FAST_RETRY, ...over }, {});
  const creds = new S3Credentials(sw.accessKeyId, secret ?? sw.secretAccessKey, 'test-credentials [default]');
  return S3Store.open(dest, settings, creds);
}

export async function pendingUploads(bucket: string, sw: SwiftEndpoint = swift()): Promise<{ Key?: string; UploadId?: string }[]> {
  const c = rawClient(sw);
  try {
    return (await c.send(new ListMultipartUploadsCommand({ Bucket: bucket }))).Uploads ?? [];
  } finally {
    c.destroy();
  }
}

export async function rawKeys(bucket: string, sw: SwiftEndpoint = swift()): Promise<string[]> {
  const c = rawClient(sw);
  try {
    return ((await c.send(new ListObjectsV2Command({ Bucket: bucket }))).Contents ?? []).map((o) => o.Key ?? '');
  } finally {
    c.destroy();
  }
}

// A stream of `total` pseudo-random bytes in fresh 64 KiB chunks (like a pipe: a consumer that kept
// chunks alive would show in memory measurements), generated on demand, never all in memory.
export function randomStream(total: number, seed = 1): { stream: Readable; sha256: () => string } {
  const block = randomBytes(1024 * 1024 + 7);
  const hash = createHash('sha256');
  let sent = 0;
  let i = seed;
  const stream = new Readable({
    highWaterMark: 64 * 1024,
    read() {
      if (sent >= total) return void this.push(null);
      const n = Math.min(64 * 1024, total - sent);
      const off = (i++ * 7919) % (block.length - n);
      const chunk = Buffer.from(block.subarray(off, off + n));
      hash.update(chunk);
      sent += n;
      this.push(chunk);
    },
  });
  return { stream, sha256: () => hash.copy().digest('hex') };
}

export async function sha256Of(stream: Readable): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const c of stream) {
    hash.update(c as Buffer);
    bytes += (c as Buffer).length;
  }
  return { sha256: hash.digest('hex'), bytes };
}
