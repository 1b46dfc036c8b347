import { isCompressName, type CompressName } from './filters.js';
import { type StreamKind, manifestKey, parseKey } from './names.js';

// The record of one stored snapshot: the source of truth of a store. A stream object is part of
// the store only once its manifest exists (the manifest is written last).
export interface Manifest {
  readonly format: 'holdfast-manifest';
  readonly version: 1;
  readonly dataset: string; // the source dataset, full name
  readonly snapshot: string; // the part after "@"
  readonly guid: string; // the snapshot's guid (decimal)
  readonly createtxg: number; // the source's creation order
  readonly created: string; // the snapshot's creation time, ISO 8601 UTC
  readonly kind: StreamKind;
  readonly parent: { readonly snapshot: string; readonly guid: string } | null; // incremental base
  readonly object: {
    readonly key: string;
    readonly bytes: number; // stored bytes (after compression and encryption)
    readonly sha256: string; // of exactly the stored bytes
    readonly parts: number; // multipart parts or file chunks
  };
  readonly stream: { readonly bytes: number; readonly estimate: number | null }; // the zfs send stream
  readonly filters: {
    readonly send: readonly string[]; // zfs send flags used (e.g. ["-i"]), never names
    readonly compress: CompressName;
    readonly encryption: { readonly format: 'HFCRYPT-1'; readonly keyId: string; readonly segmentSize: number } | null;
  };
  readonly uploaded: string; // when the manifest was written, ISO 8601 UTC
  readonly writer: string; // "holdfast 0.1.0"
}

// The zfs send flags a manifest records (-w raw, -p properties, -i incremental), in that order.
export function sendFilters(send: { readonly raw: boolean; readonly props: boolean }, incremental: boolean): string[] {
  return [...(send.raw ? ['-w'] : []), ...(send.props ? ['-p'] : []), ...(incremental ? ['-i'] : [])];
}

export type Checked<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: string };

const HEX64 = /^[0-9a-f]{64}$/;
const DIGITS = /^\d+$/;

// Check a manifest read from `key`: shape, types, and that it describes the snapshot its key
// names. A manifest that fails is reported (status, verify) and never trusted.
export function checkManifest(raw: unknown, key: string): Checked<Manifest> {
  const bad = (problem: string): Checked<Manifest> => ({ ok: false, problem: `${key}: ${problem}` });
  if (typeof raw !== 'object' || raw === null) return bad('not a JSON object');
  const m = raw as Record<string, unknown>;
  if (m.format !== 'holdfast-manifest') return bad('not a holdfast manifest (format)');
  if (m.version !== 1) return bad(`manifest version ${String(m.version)} is not supported by this holdfast (1)`);
  for (const f of ['dataset', 'snapshot', 'guid', 'created', 'uploaded', 'writer'] as const) {
    if (typeof m[f] !== 'string' || m[f] === '') return bad(`"${f}" is missing`);
  }
  if (!DIGITS.test(m.guid as string)) return bad('"guid" is not a decimal number');
  if (typeof m.createtxg !== 'number' || !Number.isSafeInteger(m.createtxg)) return bad('"createtxg" is not a whole number');
  if (Number.isNaN(Date.parse(m.created as string))) return bad('"created" is not a time');
  if (m.kind !== 'full' && m.kind !== 'incremental') return bad('"kind" is neither full nor incremental');
  const p = m.parent as Record<string, unknown> | null | undefined;
  if (m.kind === 'full' && p !== null) return bad('a full stream has a parent');
  if (
    m.kind === 'incremental' &&
    (typeof p !== 'object' || p === null || typeof p.snapshot !== 'string' || typeof p.guid !== 'string' || !DIGITS.test(p.guid))
  ) {
    return bad('an incremental stream has no valid parent');
  }
  const o = m.object as Record<string, unknown> | undefined;
  if (typeof o !== 'object' || o === null || typeof o.key !== 'string') return bad('"object.key" is missing');
  if (typeof o.bytes !== 'number' || !Number.isSafeInteger(o.bytes) || o.bytes < 0) return bad('"object.bytes" is not a size');
  if (typeof o.sha256 !== 'string' || !HEX64.test(o.sha256)) return bad('"object.sha256" is not a sha256 (no checksum recorded)');
  const s = m.stream as Record<string, unknown> | undefined;
  if (typeof s !== 'object' || s === null || typeof s.bytes !== 'number') return bad('"stream.bytes" is missing');
  const f = m.filters as Record<string, unknown> | undefined;
  if (typeof f !== 'object' || f === null || typeof f.compress !== 'string' || !isCompressName(f.compress))
    return bad('"filters.compress" is not zstd, lz4, gzip or none');
  const e = f.encryption as Record<string, unknown> | null | undefined;
  if (e !== null && (typeof e !== 'object' || e.format !== 'HFCRYPT-1' || typeof e.keyId !== 'string' || !/^[0-9a-f]{16}$/.test(e.keyId))) {
    return bad('"filters.encryption" is not understood');
  }
  const where = parseKey(o.key);
  if (!where || where.ns !== 'stream' || where.dataset !== m.dataset || where.snapshot !== m.snapshot || where.kind !== m.kind) {
    return bad(`"object.key" ${o.key} does not name this snapshot's ${m.kind as string} stream`);
  }
  if (manifestKey(m.dataset as string, m.snapshot as string) !== key)
    return bad(`describes ${m.dataset as string}@${m.snapshot as string}, which belongs under another key`);
  return { ok: true, value: raw as Manifest };
}

// Parse manifest bytes; JSON errors become a problem, never an exception.
export function readManifest(text: string, key: string): Checked<Manifest> {
  try {
    return checkManifest(JSON.parse(text) as unknown, key);
  } catch {
    return { ok: false, problem: `${key}: not valid JSON (damaged or not a manifest)` };
  }
}

export const snapLabel = (m: { dataset: string; snapshot: string }): string => `${m.dataset}@${m.snapshot}`;

// Stored snapshots in creation order. createtxg counts within one pool only: after the source
// moved to another pool (zfs send -R, a restore), its new snapshots have smaller txgs than the
// ones stored before. The creation time travels with the snapshot; the txg breaks ties.
export function storedOrder(a: Manifest, b: Manifest): number {
  return Date.parse(a.created) - Date.parse(b.created) || a.createtxg - b.createtxg;
}
