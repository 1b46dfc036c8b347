import type { Readable, Transform, Writable } from 'node:stream';
import type { StoreLocation } from '../../config/sections/dests.js';
import type { KeySource, S3Options } from '../../config/sections/store.js';
import type { Endpoint } from '../../domain/endpoint.js';
import type { SourceSnap } from '../../domain/store/select.js';
import type { ZfsReceive, ZfsSend } from '../../domain/zfs-command.js';
import type { ZfsCommandHost } from '../ports.js';

// What the store use cases (send to a store, status, restore, verify) need from the outside
// world. cli/compose/store.ts wires the adapters (store/, crypto/, zfs, exec, lock) to it.

export type { StoreLocation };

// One object of a store as a listing shows it; keys are relative to the store's prefix/root.
export interface BlobInfo {
  readonly key: string;
  readonly bytes: number;
  readonly lastModified?: Date;
}

// The object store port (s3:// and file:// differ only behind it): adapters/store ObjectStore.
export interface BlobStore {
  readonly url: string;
  check(): Promise<void>;
  put(
    key: string,
    body: Readable,
    opts?: { sizeHint?: number; metadata?: Record<string, string> },
  ): Promise<{ bytes: number; sha256: string; parts: number }>;
  putSmall(key: string, data: string): Promise<unknown>;
  get(key: string): Promise<Readable>;
  head(key: string): Promise<BlobInfo | undefined>;
  list(prefix?: string): AsyncIterable<BlobInfo>;
  delete(keys: readonly string[]): Promise<void>;
  close(): Promise<void>;
  transition?(subPrefix: string, days: number, storageClass: string): Promise<'unchanged' | 'updated' | 'unsupported'>;
}

// S3 settings and key sources come from a store's section (config/sections/store.ts).
export type { KeySource, S3Options };

// A loaded encryption key: only its id is ever shown.
export interface StoreKey {
  readonly id: string;
}

// A running `zfs send [| compressor]`; the stream errors unless every stage exits 0.
export interface SendSource {
  readonly stream: Readable;
  rawBytes(): number;
}

// A running `[decompressor |] zfs receive`.
export interface ReceiveSink {
  readonly stdin: Writable;
  finish(): Promise<string>;
  kill(): void;
}

export interface StorePorts {
  openStore(loc: StoreLocation, o: { s3?: S3Options; chunkSize?: number }): Promise<BlobStore>;
  listSnapshots(
    e: Endpoint,
    roots: readonly string[],
  ): Promise<{ datasets: ReadonlyMap<string, readonly SourceSnap[]>; missing: readonly string[] }>;
  canEstimate(e: Endpoint): Promise<boolean>; // zfs send -nvP (OpenZFS)
  estimate(e: Endpoint, send: ZfsSend): Promise<number | undefined>;
  // The two ends of a stored stream, each the command zfs(e).print() shows for it.
  send(e: Endpoint, send: ZfsSend, compress?: readonly string[], limit?: readonly string[]): SendSource; // limit: on this host
  receive(e: Endpoint, receive: ZfsReceive, decompress?: readonly string[]): ReceiveSink;
  // Single zfs commands on a host (holds, the mount that ends a restore), printed as they run.
  zfs(e: Endpoint): ZfsCommandHost;
  loadKey(source: KeySource): Promise<StoreKey>;
  encrypt(key: StoreKey): Transform;
  decrypt(key: StoreKey): Transform;
  hasTool(program: string): boolean; // on this host's PATH
  // The per-destination lock `holdfast send` uses: held until released, or who holds it.
  lock(name: string): Promise<{ release(): void } | { busy: string }>;
  // A pass-through that fails unless the bytes match (size and sha256); it holds back the tail
  // until they do, so a consumer never sees the end of a corrupt object.
  verifier(expected: { readonly bytes: number; readonly sha256: string }, what: string): Transform;
}
