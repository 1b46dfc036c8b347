import type { Readable } from 'node:stream';

// Options for put(); all optional.
export interface PutOptions {
  // Expected total size (e.g. from `zfs send -nP`): picks a part size that fits 10,000 parts.
  sizeHint?: number;
  // Small string metadata kept with the object (S3 x-amz-meta-*, file store object.json).
  metadata?: Record<string, string>;
  // Cancels the upload; the partial upload is removed and put() rejects with StoreAbortedError.
  signal?: AbortSignal;
}

// What was stored: the size and sha256 of exactly the stored bytes, and how many parts/chunks.
export interface PutResult {
  key: string;
  bytes: number;
  sha256: string;
  parts: number;
}

// One object as list() and head() see it. Keys are relative to the store's prefix/root.
export interface ObjectInfo {
  key: string;
  bytes: number;
  lastModified?: Date;
  metadata?: Record<string, string>;
}

// Why: the narrow port the backup pipeline writes through; s3:// and file:// differ only here.
// An object is visible (get/head/list) only once it is complete: an interrupted put leaves nothing.
export interface ObjectStore {
  // The destination as the user wrote it (s3://bucket/prefix, file:///path), for messages.
  readonly url: string;
  // Fails fast with a typed error if the store is unreachable or the credentials are refused.
  check(): Promise<void>;
  // Streams body into key with bounded memory; replaces an existing object.
  put(key: string, body: Readable, opts?: PutOptions): Promise<PutResult>;
  // Stores a small in-memory value (a manifest) in one request, in the default storage class.
  putSmall(key: string, data: Buffer | string, opts?: Omit<PutOptions, 'sizeHint'>): Promise<PutResult>;
  // Streams an object's bytes; StoreNotFoundError if it does not exist.
  get(key: string): Promise<Readable>;
  // Size and metadata, or undefined if the object does not exist.
  head(key: string): Promise<ObjectInfo | undefined>;
  // Every object whose key starts with prefix, in key order, paging as needed.
  list(prefix?: string): AsyncIterable<ObjectInfo>;
  // Deletes objects; missing keys are not an error.
  delete(keys: readonly string[]): Promise<void>;
  // Releases sockets/handles.
  close(): Promise<void>;
}
