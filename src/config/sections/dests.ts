import {
  type BtrfsLocation,
  type FileLocation,
  type Location,
  type S3Location,
  type ZfsLocation,
  parseLocation,
} from '../../domain/location.js';
import type { SendTypes } from '../../domain/replication/select.js';
import type { StreamFlag } from '../../domain/zfs-command.js';
import type { ParsedSection } from '../parsed.js';
import type { PolicyResolver } from '../resolve.js';
import { type SendHooks, sendHooks } from './hooks.js';

// Every entry of a section's dest, routed once by kind: a zfs dataset (local or ssh), an
// s3:// or file:// store, a btrfs directory; with the per-destination settings of its kind.

export type StoreLocation = S3Location | FileLocation;
export const isStoreLocation = (l: Location): l is StoreLocation => l.kind === 's3' || l.kind === 'file';

// Everything that shapes one zfs destination's transfers (pyznap's per-destination lists, §2.3,
// plus holdfast's own keys; send's flags go on top).
export interface DestOptions {
  readonly compress?: string; // requested compressor; unset: lzop over ssh, none locally
  readonly raw: boolean;
  readonly resume: boolean;
  readonly autoCreate: boolean;
  readonly retries: number;
  readonly retryIntervalSec: number;
  readonly exclude: readonly string[];
  readonly force: boolean;
  readonly initial: 'oldest' | 'newest';
  readonly sendTypes: SendTypes;
  readonly props: boolean;
  readonly mount: boolean;
  readonly bwlimit?: number; // bytes per second on the sending side; unset: no limit
  readonly holdBase: boolean; // hold the base on the source; false: its bookmark keeps the chain (OpenZFS)
  readonly sendFlags: 'auto' | readonly StreamFlag[]; // OpenZFS -L -e -c: auto, or those allowed
  readonly sourceKey?: string; // ssh identity files
  readonly destKey?: string;
  readonly hooks?: SendHooks; // pre/post_send_command of the source's section, around this destination's send
}

export const DEFAULT_DEST_OPTIONS: DestOptions = {
  raw: false,
  resume: false,
  autoCreate: false,
  retries: 0,
  retryIntervalSec: 10,
  exclude: [],
  force: false,
  initial: 'oldest',
  sendTypes: 'all',
  props: false,
  mount: false,
  holdBase: true,
  sendFlags: 'auto',
};

interface Entry {
  readonly section: { readonly name: string; readonly line: number };
  readonly index: number; // position in dest
  readonly text: string; // as written
}

export interface ZfsDest extends Entry {
  readonly kind: 'zfs';
  readonly source: ZfsLocation;
  readonly dest: ZfsLocation;
  readonly options: DestOptions;
  readonly compressLine?: number; // where compress was set, for messages
}

export interface StoreDest extends Entry {
  readonly kind: 'store';
  readonly source: ZfsLocation;
  readonly dest: StoreLocation;
  readonly exclude: readonly string[];
  readonly raw: boolean;
  readonly props: boolean;
  readonly bwlimit?: number; // bytes per second, on the stream feeding the upload
}

export interface BtrfsDest extends Entry {
  readonly kind: 'btrfs';
  readonly source: BtrfsLocation;
  readonly dest: BtrfsLocation;
  readonly compress?: string;
  readonly identity?: string; // dest_keys entry for an ssh destination
}

// A location the source cannot send to (a zfs dataset to btrfs:, a subvolume to a dataset).
export interface UnsupportedDest extends Entry {
  readonly kind: 'unsupported';
  readonly source: ZfsLocation | BtrfsLocation;
  readonly dest: Location;
}

// An entry that is not a location at all (a warning at dest's line; send reports it as failed).
export interface InvalidDest extends Entry {
  readonly kind: 'invalid';
  readonly source: ZfsLocation | BtrfsLocation;
  readonly problem: string;
}

export type SendTarget = ZfsDest | StoreDest | BtrfsDest | UnsupportedDest | InvalidDest;

// The dest entries of every zfs and btrfs section, in section order then dest order. Sections of
// other kinds never send (their dest is ignored, as before).
export function sendTargets(r: PolicyResolver): SendTarget[] {
  return r.file.sections.flatMap((s) => {
    const dests = r.value(s, 'dest')?.value ?? [];
    if (dests.length === 0) return [];
    if (s.location?.kind === 'zfs') return zfsTargets(r, s, s.location, dests);
    if (s.location?.kind === 'btrfs') return btrfsTargets(r, s, s.location, dests);
    return [];
  });
}

function zfsTargets(r: PolicyResolver, s: ParsedSection, source: ZfsLocation, dests: readonly string[]): SendTarget[] {
  const parsed = dests.map(parseLocation);
  const isSsh = parsed.map((p) => p.ok && p.value.kind === 'zfs' && p.value.endpoint.kind === 'ssh');
  const lists = perDestLists(r, s);
  const hooks = sendHooks(r, s);
  return parsed.map((p, i): SendTarget => {
    const entry = { section: { name: s.name, line: s.line }, index: i, text: dests[i]! };
    if (!p.ok) return { ...entry, kind: 'invalid', source, problem: p.problem };
    const dest = p.value;
    if (dest.kind === 'zfs') {
      const compressLine = lists.compressLine;
      return {
        ...entry,
        kind: 'zfs',
        source,
        dest,
        options: { ...zfsOptions(lists, i, isSsh), ...(hooks ? { hooks } : {}) },
        ...(compressLine ? { compressLine } : {}),
      };
    }
    if (!isStoreLocation(dest)) return { ...entry, kind: 'unsupported', source, dest };
    return {
      ...entry,
      kind: 'store',
      source,
      dest,
      exclude: lists.exclude?.[i] ?? [],
      raw: lists.raw_send?.[i] ?? false,
      props: lists.send_props?.[i] ?? false,
      ...(lists.bwlimit?.[i] !== undefined ? { bwlimit: lists.bwlimit[i] } : {}),
    };
  });
}

// A section's per-destination lists (the section's own, else [DEFAULT]'s), read once.
function perDestLists(r: PolicyResolver, s: ParsedSection) {
  const compress = r.value(s, 'compress');
  return {
    sourceSsh: s.location?.kind === 'zfs' && s.location.endpoint.kind === 'ssh',
    sourceKey: r.value(s, 'key')?.value,
    compress: compress?.value,
    compressLine: compress?.line,
    dest_keys: r.value(s, 'dest_keys')?.value,
    raw_send: r.value(s, 'raw_send')?.value,
    resume: r.value(s, 'resume')?.value,
    dest_auto_create: r.value(s, 'dest_auto_create')?.value,
    retries: r.value(s, 'retries')?.value,
    retry_interval: r.value(s, 'retry_interval')?.value,
    exclude: r.value(s, 'exclude')?.value,
    force: r.value(s, 'force')?.value,
    initial_send: r.value(s, 'initial_send')?.value,
    send_types: r.value(s, 'send_types')?.value,
    send_props: r.value(s, 'send_props')?.value,
    dest_mount: r.value(s, 'dest_mount')?.value,
    bwlimit: r.value(s, 'bwlimit')?.value,
    hold_base: r.value(s, 'hold_base')?.value,
    send_flags: r.value(s, 'send_flags')?.value,
  };
}

// pyznap's indexing: dest_keys and compress may hold one entry per ssh destination (pyznap's
// way) or one per destination; with an ssh source, compress's first entry applies to all.
function zfsOptions(l: ReturnType<typeof perDestLists>, i: number, isSsh: readonly boolean[]): DestOptions {
  const blank = <T>(v: T | undefined): Exclude<T, ''> | undefined => (v === '' ? undefined : (v as Exclude<T, ''>));
  const sshIndex = isSsh.slice(0, i).filter(Boolean).length;
  const perSsh = (list: readonly string[] | undefined): string | undefined => {
    if (!list) return undefined;
    if (list.length === isSsh.length) return blank(list[i]);
    return isSsh[i] ? blank(list[sshIndex]) : undefined;
  };
  const compress = l.sourceSsh && (l.compress?.length ?? 0) !== isSsh.length ? blank(l.compress?.[0]) : perSsh(l.compress);
  const destKey = perSsh(l.dest_keys);
  return {
    ...DEFAULT_DEST_OPTIONS,
    ...(compress !== undefined ? { compress } : {}),
    raw: l.raw_send?.[i] ?? false,
    resume: l.resume?.[i] ?? false,
    autoCreate: l.dest_auto_create?.[i] ?? false,
    retries: l.retries?.[i] ?? 0,
    retryIntervalSec: l.retry_interval?.[i] ?? 10,
    exclude: l.exclude?.[i] ?? [],
    force: l.force?.[i] ?? false,
    initial: blank(l.initial_send?.[i]) ?? 'oldest',
    sendTypes: blank(l.send_types?.[i]) ?? 'all',
    props: l.send_props?.[i] ?? false,
    mount: l.dest_mount?.[i] ?? false,
    ...(l.bwlimit?.[i] !== undefined ? { bwlimit: l.bwlimit[i] } : {}),
    holdBase: l.hold_base?.[i] ?? true,
    sendFlags: l.send_flags?.[i] ?? 'auto',
    ...(l.sourceKey ? { sourceKey: l.sourceKey } : {}),
    ...(destKey ? { destKey } : {}),
  };
}

function btrfsTargets(r: PolicyResolver, s: ParsedSection, source: BtrfsLocation, dests: readonly string[]): SendTarget[] {
  const parsed = dests.map(parseLocation);
  const sshIndex = parsed
    .map((p, i) => (p.ok && p.value.kind === 'btrfs' && p.value.endpoint.kind === 'ssh' ? i : -1))
    .filter((i) => i >= 0);
  const compressList = r.value(s, 'compress')?.value;
  const keys = r.value(s, 'dest_keys')?.value;
  // Per destination, or per ssh destination (pyznap's way for compress and dest_keys).
  const pick = (list: readonly string[] = [], i: number): string | undefined => {
    if (list.length === dests.length) return list[i] || undefined;
    const j = sshIndex.indexOf(i);
    return j >= 0 && list.length === sshIndex.length ? list[j] || undefined : undefined;
  };
  return parsed.map((p, i): SendTarget => {
    const entry = { section: { name: s.name, line: s.line }, index: i, text: dests[i]! };
    if (!p.ok) return { ...entry, kind: 'invalid', source, problem: p.problem };
    if (p.value.kind !== 'btrfs') return { ...entry, kind: 'unsupported', source, dest: p.value };
    const compress = pick(compressList, i)?.toLowerCase();
    const identity = pick(keys, i);
    return {
      ...entry,
      kind: 'btrfs',
      source,
      dest: p.value,
      ...(compress && compress !== 'none' ? { compress } : {}),
      ...(identity ? { identity } : {}),
    };
  });
}
