import { parseBytes } from '../../domain/units.js';
import { StoreConfigError } from './errors.js';
import { MAX_PART_SIZE, MIN_PART_SIZE, MiB } from './part-size.js';
import { DEFAULT_RETRY, type RetryPolicy } from './retry.js';

// Everything the S3 store needs besides the destination and the credentials.
export interface S3Settings {
  endpoint?: string; // e.g. http://127.0.0.1:8080; unset = AWS
  region: string;
  forcePathStyle: boolean;
  credentialsFile?: string;
  profile?: string;
  storageClass?: string;
  concurrency: number; // parts in flight
  partSize: number; // bytes, >= 5 MiB; grows for large streams (part-size.ts)
  retry: RetryPolicy; // per request, including each part
  requestTimeoutMs: number; // socket idle timeout
}

export const S3_DEFAULTS: S3Settings = {
  region: 'us-east-1',
  forcePathStyle: true,
  concurrency: 4,
  partSize: 16 * MiB,
  retry: DEFAULT_RETRY,
  requestTimeoutMs: 120_000,
};

// Why: S3 settings come from the config file or the environment, never argv. A setting the
// config gives explicitly wins: the config is per destination, the environment is per process
// (one environment cannot describe two stores). The environment fills what the config leaves unset.
export function resolveS3Settings(config: Partial<S3Settings> = {}, env: NodeJS.ProcessEnv = process.env): S3Settings {
  const fromEnv: Partial<S3Settings> = {};
  const endpoint = env.HOLDFAST_S3_ENDPOINT ?? env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL;
  if (endpoint) fromEnv.endpoint = endpoint;
  if (env.AWS_REGION ?? env.AWS_DEFAULT_REGION) fromEnv.region = (env.AWS_REGION ?? env.AWS_DEFAULT_REGION) as string;
  if (env.HOLDFAST_S3_PATH_STYLE) fromEnv.forcePathStyle = !/^(0|false|no|off)$/i.test(env.HOLDFAST_S3_PATH_STYLE);
  if (env.HOLDFAST_S3_STORAGE_CLASS) fromEnv.storageClass = env.HOLDFAST_S3_STORAGE_CLASS;
  if (env.HOLDFAST_S3_CONCURRENCY) fromEnv.concurrency = Number(env.HOLDFAST_S3_CONCURRENCY);
  if (env.HOLDFAST_S3_PART_SIZE) fromEnv.partSize = parseSize(env.HOLDFAST_S3_PART_SIZE);
  if (env.AWS_SHARED_CREDENTIALS_FILE) fromEnv.credentialsFile = env.AWS_SHARED_CREDENTIALS_FILE;
  if (env.AWS_PROFILE) fromEnv.profile = env.AWS_PROFILE;
  return validate({ ...S3_DEFAULTS, ...definedOnly(fromEnv), ...definedOnly(config) });
}

function validate(s: S3Settings): S3Settings {
  if (!Number.isInteger(s.concurrency) || s.concurrency < 1 || s.concurrency > 64) {
    throw new StoreConfigError(`s3 concurrency must be an integer 1..64, not ${s.concurrency}`);
  }
  if (!Number.isFinite(s.partSize) || s.partSize < MIN_PART_SIZE || s.partSize > MAX_PART_SIZE) {
    throw new StoreConfigError(`s3 part size must be 5 MiB..5 GiB, not ${s.partSize} bytes`);
  }
  if (s.endpoint && !/^https?:\/\/[^\s/]+/.test(s.endpoint)) throw new StoreConfigError(`s3 endpoint ${s.endpoint} is not an http(s) URL`);
  return s;
}

// Why: part sizes are written by people: "16M", "64MiB", "1G" or plain bytes.
export function parseSize(text: string): number {
  const n = parseBytes(text);
  if (n === undefined) throw new StoreConfigError(`cannot read size ${JSON.stringify(text)} (e.g. 16M, 64MiB, 1G)`);
  return n;
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
