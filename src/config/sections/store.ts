import { locationLabel } from '../../domain/location.js';
import type { SnapPolicy } from '../../domain/policy.js';
import type { CompressName } from '../../domain/store/filters.js';
import type { FullEvery } from '../../domain/store/full-every.js';
import type { ParsedSection } from '../parsed.js';
import type { PolicyResolver } from '../resolve.js';
import { type StoreLocation, isStoreLocation } from './dests.js';

// S3 settings from a store's section; unset ones come from the environment, then defaults.
export interface S3Options {
  readonly endpoint?: string;
  readonly region?: string;
  readonly forcePathStyle?: boolean;
  readonly credentialsFile?: string;
  readonly profile?: string;
  readonly storageClass?: string;
  readonly concurrency?: number;
  readonly partSize?: number;
}

export type KeySource = { readonly file: string } | { readonly env: string };

// Everything that shapes one store, read from its section ([s3://bucket/prefix] or
// [file:///path]) with [DEFAULT] underneath; a store without a section gets [DEFAULT] alone.
export interface StoreSettings {
  readonly section: string; // the section the settings came from, for messages
  readonly policy: SnapPolicy; // counts and clean: the store's retention
  readonly compress: CompressName;
  readonly encrypt: boolean;
  readonly key?: KeySource; // the configured key; uploads use it only with encrypt = yes
  readonly fullEvery?: FullEvery;
  readonly snapshotPrefix?: string;
  readonly s3: S3Options;
  readonly transition?: { readonly days: number; readonly storageClass: string };
  readonly chunkSize?: number;
  readonly problem?: string; // settings that cannot work together: the destination fails
}

// One store: its settings and where it is.
export interface StoreTarget extends StoreSettings {
  readonly location: StoreLocation;
  readonly url: string; // s3://bucket/prefix, file:///path
}

// The store sections by URL (the first of a URL wins), and [DEFAULT]'s settings for the rest.
export interface StoreSections {
  readonly byUrl: ReadonlyMap<string, StoreSettings>;
  readonly defaults: StoreSettings;
}

export function storeSections(r: PolicyResolver): StoreSections {
  const byUrl = new Map<string, StoreSettings>();
  for (const s of r.file.sections) {
    if (!s.location || !isStoreLocation(s.location)) continue;
    const url = locationLabel(s.location);
    if (!byUrl.has(url)) byUrl.set(url, settings(r, s));
  }
  return { byUrl, defaults: settings(r, r.file.defaults) };
}

// A store's settings: its section's, or [DEFAULT]'s (a store given on the command line).
export function storeTarget(file: { readonly stores: StoreSections }, location: StoreLocation): StoreTarget {
  const url = locationLabel(location);
  return { ...(file.stores.byUrl.get(url) ?? file.stores.defaults), location, url };
}

function settings(r: PolicyResolver, s: ParsedSection): StoreSettings {
  const isDefault = s === r.file.defaults;
  const keyFile = r.value(s, 'encryption_key_file')?.value;
  const keyEnv = r.value(s, 'encryption_key_env')?.value;
  const encrypt = r.value(s, 'encrypt')?.value ?? false;
  const key: KeySource | undefined = keyFile ? { file: keyFile } : keyEnv ? { env: keyEnv } : undefined;
  const where = isDefault ? '[DEFAULT]' : `[${s.name}] (line ${s.line})`;
  const problem =
    encrypt && !key
      ? `encrypt = yes in ${where}, but neither encryption_key_file nor encryption_key_env is set`
      : keyFile && keyEnv
        ? `both encryption_key_file and encryption_key_env are set in ${where}; keep one`
        : undefined;
  const partSize = r.value(s, 's3_part_size')?.value;
  const days = r.value(s, 's3_transition_days')?.value;
  const s3: S3Options = {
    ...opt('endpoint', r.value(s, 's3_endpoint')?.value),
    ...opt('region', r.value(s, 's3_region')?.value),
    ...opt('forcePathStyle', r.value(s, 's3_path_style')?.value),
    ...opt('credentialsFile', r.value(s, 's3_credentials_file')?.value),
    ...opt('profile', r.value(s, 's3_profile')?.value),
    ...opt('storageClass', r.value(s, 's3_storage_class')?.value),
    ...opt('concurrency', r.value(s, 's3_concurrency')?.value),
    ...opt('partSize', partSize === 'auto' ? undefined : partSize),
  };
  return {
    section: isDefault ? 'DEFAULT' : s.name,
    policy: r.snapPolicy(s),
    compress: r.value(s, 'store_compress')?.value ?? 'zstd',
    encrypt,
    ...(key ? { key } : {}), // restore reads older encrypted chains even after encrypt = no
    ...opt('fullEvery', r.value(s, 'full_every')?.value),
    ...opt('snapshotPrefix', r.value(s, 'snapshot_prefix')?.value),
    s3,
    ...(days !== undefined && days > 0
      ? { transition: { days, storageClass: r.value(s, 's3_transition_class')?.value ?? 'GLACIER' } }
      : {}),
    ...opt('chunkSize', r.value(s, 'chunk_size')?.value),
    ...(problem ? { problem } : {}),
  };
}

function opt<K extends string, T>(k: K, value: T | undefined): { [P in K]?: T } {
  return (value === undefined ? {} : { [k]: value }) as { [P in K]?: T };
}

// The names of the environment variables any section names as a key source (encryption_key_env):
// kept from every program holdfast starts.
export function secretEnvNames(r: PolicyResolver): string[] {
  return [r.file.defaults, ...r.file.sections].flatMap((s) =>
    s.values.encryption_key_env?.value ? [s.values.encryption_key_env.value] : [],
  );
}
