import { HoldfastError } from '../../domain/errors.js';

// Typed, one-line errors shared by every ObjectStore. S3-specific ones are in s3-errors.ts.

// Why: one base so callers can catch "the store failed" and print err.toString() as one line.
export class StoreError extends HoldfastError {
  override name = 'StoreError';
}

// Why: get() of a key that does not exist (S3 NoSuchKey/404, file store: no complete object).
export class StoreNotFoundError extends StoreError {
  override name = 'StoreNotFoundError';
}

// Why: a key or destination URL the store cannot hold (empty, '..', reserved names, bad scheme).
export class StoreKeyError extends StoreError {
  override name = 'StoreKeyError';
}

// Why: the store accepted an upload but holds something else (size differs, chunk missing).
export class StoreIntegrityError extends StoreError {
  override name = 'StoreIntegrityError';
}

// Why: settings or credentials that cannot work (missing secret, bad part size, unknown profile).
export class StoreConfigError extends StoreError {
  override name = 'StoreConfigError';
}

// Why: the caller cancelled through PutOptions.signal; any partial upload was removed.
export class StoreAbortedError extends StoreError {
  override name = 'StoreAbortedError';
}
