import { StoreAbortedError, StoreConfigError, StoreError, StoreNotFoundError } from './errors.js';

// S3 error classes, each with the S3 codes / errno values that map to it right beside it.

// Why: the server refused who we are: bad secret or unknown access key. Nothing was stored.
export class S3AuthError extends StoreError {
  override name = 'S3AuthError';
}
const AUTH_CODES =
  /^(SignatureDoesNotMatch|InvalidAccessKeyId|InvalidToken|ExpiredToken|TokenRefreshRequired|AuthorizationHeaderMalformed)$/;

// Why: the credentials are accepted but lack a permission (or a HEAD answered a bare 403).
export class S3AccessDeniedError extends StoreError {
  override name = 'S3AccessDeniedError';
}
const DENIED_CODES = /^(AccessDenied|AllAccessDisabled|AccountProblem)$/;

// Why: the bucket in s3://BUCKET/... does not exist; holdfast does not create buckets.
export class S3BucketNotFoundError extends StoreError {
  override name = 'S3BucketNotFoundError';
}
const BUCKET_CODES = /^(NoSuchBucket)$/;

// Why: no answer at all (refused, reset, DNS, timeout): the endpoint is down or wrong.
export class S3UnreachableError extends StoreError {
  override name = 'S3UnreachableError';
}
const NET_ERRNO = /^(ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|ECONNABORTED|UND_ERR_SOCKET)$/;
const NET_NAMES = /^(TimeoutError|RequestTimeout)$/;

// Why: any other answer from the server (bad request, invalid storage class, 5xx after retries).
export class S3RequestError extends StoreError {
  override name = 'S3RequestError';
}

// Why: a multipart upload failed AND could not be aborted: the caller must learn the upload id,
// since the parts still use space until someone aborts it (or a lifecycle rule does).
export class S3UploadAbandonedError extends StoreError {
  override name = 'S3UploadAbandonedError';
  constructor(
    message: string,
    readonly uploadId: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const TRANSIENT_CODES = /^(RequestTimeout|SlowDown|InternalError|ServiceUnavailable|BadDigest|RequestTimeTooSkewed|Throttling)$/;

// Where an error happened, for one-line messages.
export interface S3ErrorContext {
  url: string; // the object's s3:// url (or the store's)
  storeUrl: string; // s3://bucket/prefix: named when the problem is the store, not the object
  op: string; // e.g. "upload part 3 of tank@snap.zst"
  credentialsHint: string; // e.g. "/etc/holdfast/s3.credentials [backup]" or "$AWS_SECRET_ACCESS_KEY"
}

interface SdkErrorShape {
  name?: string;
  Code?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

function shape(err: unknown): SdkErrorShape {
  return typeof err === 'object' && err !== null ? (err as SdkErrorShape) : { message: String(err) };
}

function codeOf(e: SdkErrorShape): string {
  return e.Code ?? (e.name && e.name !== 'Error' && e.name !== 'Unknown' ? e.name : '') ?? '';
}

// Why: decides what the bounded retry loop may try again (network blips, 5xx, throttling).
export function isRetryableS3Error(err: unknown): boolean {
  if (err instanceof StoreError) return false;
  const e = shape(err);
  const status = e.$metadata?.httpStatusCode ?? 0;
  if (NET_ERRNO.test(e.code ?? '') || NET_NAMES.test(e.name ?? '')) return true;
  return status >= 500 || status === 429 || TRANSIENT_CODES.test(codeOf(e));
}

// Why: turns whatever the SDK threw into one typed, one-line StoreError that says what to fix.
export function mapS3Error(err: unknown, ctx: S3ErrorContext): StoreError {
  if (err instanceof StoreError) return err;
  const e = shape(err);
  const code = codeOf(e);
  const status = e.$metadata?.httpStatusCode;
  const opts = { cause: err };
  if (e.name === 'AbortError') return new StoreAbortedError(`${ctx.url}: ${ctx.op}: cancelled`, opts);
  if (AUTH_CODES.test(code)) {
    const field = code === 'InvalidAccessKeyId' ? 'aws_access_key_id' : 'aws_secret_access_key';
    return new S3AuthError(
      `${ctx.storeUrl}: the server rejected the credentials (${code}); check ${field} in ${ctx.credentialsHint}`,
      opts,
    );
  }
  if (DENIED_CODES.test(code) || (status === 403 && !code)) {
    const why = code || 'HTTP 403';
    return new S3AccessDeniedError(
      `${ctx.storeUrl}: access denied (${why}) during ${ctx.op}; check the credentials in ${ctx.credentialsHint} and the bucket's permissions`,
      opts,
    );
  }
  if (BUCKET_CODES.test(code)) return new S3BucketNotFoundError(`${ctx.storeUrl}: the bucket does not exist (${code})`, opts);
  if (code === 'NoSuchKey' || (status === 404 && (code === 'NotFound' || !code))) {
    return new StoreNotFoundError(`${ctx.url}: ${ctx.op}: no such object`, opts);
  }
  if (NET_ERRNO.test(e.code ?? '') || NET_NAMES.test(e.name ?? '')) {
    return new S3UnreachableError(`${ctx.url}: ${ctx.op}: the server did not answer (${e.code ?? e.name}: ${oneLine(e.message)})`, opts);
  }
  if (code === 'InvalidStorageClass')
    return new StoreConfigError(`${ctx.storeUrl}: the server does not accept this storage class (${code})`, opts);
  const what = [code, status ? `HTTP ${status}` : ''].filter(Boolean).join(', ') || 'error';
  return new S3RequestError(`${ctx.url}: ${ctx.op} failed (${what}): ${oneLine(e.message)}`, opts);
}

function oneLine(text: string | undefined): string {
  return (text ?? '').replace(/\s+/g, ' ').trim().slice(0, 300);
}
