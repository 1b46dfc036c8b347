import { datasetNameProblem, snapshotNameProblem } from '../dataset-name.js';
import { type CompressName, extensionOf } from './filters.js';

// Object keys in a store (relative to its s3 prefix or file:// root). Two namespaces, so an S3
// lifecycle rule can move the big stream objects to an archive class by prefix while the small
// manifests stay readable:
//
//   manifests/<dataset>/@<snapshot>.json
//   streams/<dataset>/@<snapshot>.<full|incr>.zfs[.zst|.lz4|.gz][.enc]
//
// Dataset components and the snapshot name are percent-encoded: everything but letters, digits,
// "_" and "-" becomes %XX (ZFS allows space, ":" and "." too). So an encoded part never holds
// "." or "@", a child dataset can never clash with an object name, and no key segment can be
// one of the file store's reserved names (".tmp-…", "….chunks").
export const MANIFESTS = 'manifests/';
export const STREAMS = 'streams/';

export type StreamKind = 'full' | 'incremental';

export interface StreamFilters {
  readonly compress: CompressName;
  readonly encrypted: boolean;
}

export function encodePart(text: string): string {
  return text.replace(/[^A-Za-z0-9_-]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

export function decodePart(text: string): string | undefined {
  if (!/^(?:[A-Za-z0-9_-]|%[0-9A-F]{2})+$/.test(text)) return undefined;
  return text.replace(/%([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}

const encodeDataset = (dataset: string): string => dataset.split('/').map(encodePart).join('/');

// Where one dataset's manifests live (list this prefix to read them all).
export function manifestPrefix(dataset: string): string {
  return `${MANIFESTS}${encodeDataset(dataset)}/@`;
}

export function manifestKey(dataset: string, snapshot: string): string {
  return `${manifestPrefix(dataset)}${encodePart(snapshot)}.json`;
}

// The stream object's key says what it holds, so a full and an incremental of the same
// snapshot never overwrite each other, and a person can tell from the name how to read it.
export function streamKey(dataset: string, snapshot: string, kind: StreamKind, f: StreamFilters): string {
  const ext = `zfs${extensionOf(f.compress)}${f.encrypted ? '.enc' : ''}`;
  return `${STREAMS}${encodeDataset(dataset)}/@${encodePart(snapshot)}.${kind === 'full' ? 'full' : 'incr'}.${ext}`;
}

// Every key a store holds for datasets at or below `root` (both namespaces).
export function treePrefixes(root: string): string[] {
  return [`${MANIFESTS}${encodeDataset(root)}/`, `${STREAMS}${encodeDataset(root)}/`];
}

export type ParsedKey =
  | { readonly ns: 'manifest'; readonly dataset: string; readonly snapshot: string }
  | { readonly ns: 'stream'; readonly dataset: string; readonly snapshot: string; readonly kind: StreamKind; readonly ext: string };

// Read a key back; undefined for anything holdfast did not write (left alone, never deleted).
export function parseKey(key: string): ParsedKey | undefined {
  const ns = key.startsWith(MANIFESTS) ? 'manifest' : key.startsWith(STREAMS) ? 'stream' : undefined;
  if (!ns) return undefined;
  const rest = key.slice(ns === 'manifest' ? MANIFESTS.length : STREAMS.length);
  const at = rest.lastIndexOf('/@');
  if (at < 0) return undefined;
  const parts = rest.slice(0, at).split('/').map(decodePart);
  if (parts.some((p) => p === undefined)) return undefined;
  const dataset = parts.join('/');
  const [encSnap, ...ext] = rest.slice(at + 2).split('.');
  const snapshot = decodePart(encSnap ?? '');
  if (snapshot === undefined || datasetNameProblem(dataset) || snapshotNameProblem(snapshot)) return undefined;
  if (ns === 'manifest') return ext.length === 1 && ext[0] === 'json' ? { ns, dataset, snapshot } : undefined;
  const [kind, ...filters] = ext;
  if ((kind !== 'full' && kind !== 'incr') || filters[0] !== 'zfs') return undefined;
  return { ns, dataset, snapshot, kind: kind === 'full' ? 'full' : 'incremental', ext: filters.join('.') };
}

// True when `dataset` is `root` or below it.
export const underRoot = (dataset: string, root: string): boolean => dataset === root || dataset.startsWith(`${root}/`);
