// The store adapter's public surface. S3 classes are exported as types only, so importing this
// index never loads the AWS SDK; openStore() loads it on demand for s3:// destinations.
export type { ObjectInfo, ObjectStore, PutOptions, PutResult } from './object-store.js';
export { openStore, type OpenStoreOptions } from './open-store.js';
export { parseDestination, type Destination } from './dest-url.js';
export { DEFAULT_CHUNK_SIZE, FileStore, type FileStoreOptions } from './file-store.js';
export { resolveS3Settings, parseSize, S3_DEFAULTS, type S3Settings } from './s3-settings.js';
export { loadS3Credentials, S3Credentials } from './s3-credentials.js';
export type { S3Store } from './s3-store.js';
export { partSizeFor, partSizeForKnownSize, partSizeForUnknownSize, MIN_PART_SIZE, MAX_PARTS } from './part-size.js';
export { StoreAbortedError, StoreConfigError, StoreError, StoreIntegrityError, StoreKeyError, StoreNotFoundError } from './errors.js';
export { FileStoreError } from './file-errors.js';
export {
  S3AccessDeniedError,
  S3AuthError,
  S3BucketNotFoundError,
  S3RequestError,
  S3UnreachableError,
  S3UploadAbandonedError,
} from './s3-errors.js';
