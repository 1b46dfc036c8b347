import { PolicyResolver } from '../../config/resolve.js';
import type { PolicyFile, SectionConfig } from '../../config/policy-file.js';
import { type Location, locationLabel, parseLocation } from '../../domain/location.js';
import type { SnapPolicy } from '../../domain/policy.js';
import type { CompressName } from '../../domain/store/filters.js';
import type { FullEvery } from '../../domain/store/full-every.js';
import type { KeySource, S3Options, StoreLocation } from './ports.js';
import { UsageError } from '../../domain/errors.js';

// Everything that shapes one store, read from its section ([s3://bucket/prefix] or
// [file:///path]) with [DEFAULT] underneath; a store without a section gets [DEFAULT] alone.
export interface StoreConfig {
  readonly location: StoreLocation;
  readonly url: string; // s3://bucket/prefix, file:///path
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

export class StoreLocationError extends UsageError {
  override name = 'StoreLocationError';
}

// A DEST argument of status/restore/verify, or a dest entry: s3://… or file://… only.
export function parseStoreLocation(text: string): StoreLocation {
  const p = parseLocation(text);
  if (!p.ok) throw new StoreLocationError(p.problem);
  if (p.value.kind !== 's3' && p.value.kind !== 'file')
    throw new StoreLocationError(`${text} is not a store; write s3://BUCKET/PREFIX or file:///PATH`);
  return p.value;
}

export const isStoreLocation = (l: Location): l is StoreLocation => l.kind === 's3' || l.kind === 'file';

// The section a store's settings live in: the one whose name is the same location.
export function storeSection(file: PolicyFile, loc: StoreLocation): SectionConfig | undefined {
  const url = locationLabel(loc);
  return file.sections.find((s) => s.location && isStoreLocation(s.location) && locationLabel(s.location) === url);
}

export function storeConfig(file: PolicyFile, loc: StoreLocation): StoreConfig {
  const r = new PolicyResolver(file);
  const s = storeSection(file, loc) ?? file.defaults;
  const v = <T>(key: string): T | undefined => r.value<T>(s, key)?.value;
  const keyFile = v<string>('encryption_key_file');
  const keyEnv = v<string>('encryption_key_env');
  const encrypt = v<boolean>('encrypt') ?? false;
  const key: KeySource | undefined = keyFile ? { file: keyFile } : keyEnv ? { env: keyEnv } : undefined;
  const where = s === file.defaults ? '[DEFAULT]' : `[${s.name}] (line ${s.line})`;
  const problem =
    encrypt && !key
      ? `encrypt = yes in ${where}, but neither encryption_key_file nor encryption_key_env is set`
      : keyFile && keyEnv
        ? `both encryption_key_file and encryption_key_env are set in ${where}; keep one`
        : undefined;
  const partSize = v<number | 'auto'>('s3_part_size');
  const days = v<number>('s3_transition_days');
  const s3: S3Options = {
    ...opt('endpoint', v<string>('s3_endpoint')),
    ...opt('region', v<string>('s3_region')),
    ...opt('forcePathStyle', v<boolean>('s3_path_style')),
    ...opt('credentialsFile', v<string>('s3_credentials_file')),
    ...opt('profile', v<string>('s3_profile')),
    ...opt('storageClass', v<string>('s3_storage_class')),
    ...opt('concurrency', v<number>('s3_concurrency')),
    ...opt('partSize', partSize === 'auto' ? undefined : partSize),
  };
  return {
    location: loc,
    url: locationLabel(loc),
    section: s === file.defaults ? 'DEFAULT' : s.name,
    policy: r.snapPolicy(s),
    compress: v<CompressName>('store_compress') ?? 'zstd',
    encrypt,
    ...(key ? { key } : {}), // restore reads older encrypted chains even after encrypt = no
    ...opt('fullEvery', v<FullEvery>('full_every')),
    ...opt('snapshotPrefix', v<string>('snapshot_prefix')),
    s3,
    ...(days !== undefined && days > 0 ? { transition: { days, storageClass: v<string>('s3_transition_class') ?? 'GLACIER' } } : {}),
    ...opt('chunkSize', v<number>('chunk_size')),
    ...(problem ? { problem } : {}),
  };
}

function opt<K extends string, T>(k: K, value: T | undefined): { [P in K]?: T } {
  return (value === undefined ? {} : { [k]: value }) as { [P in K]?: T };
}

// Sources that list a store in their dest: where status finds the local side of each dataset.
export function sourcesOf(file: PolicyFile, loc: StoreLocation): { section: SectionConfig; location: Location }[] {
  const r = new PolicyResolver(file);
  const url = locationLabel(loc);
  return file.sections.flatMap((s) => {
    const dests = r.value<string[]>(s, 'dest')?.value ?? [];
    const hit = dests.some((d) => {
      const p = parseLocation(d);
      return p.ok && isStoreLocation(p.value) && locationLabel(p.value) === url;
    });
    return hit && s.location?.kind === 'zfs' ? [{ section: s, location: s.location }] : [];
  });
}
