import type { Endpoint } from '../endpoint.js';
import { incrementalChain } from './chain.js';
import { findCommonBase } from './common-base.js';
import { destAhead, destExists, foreignResume, noCommon } from './conflict.js';
import type { Holdings, PairPlan, Sides, SnapRef, Step } from './types.js';

// A partial `zfs receive -s` found on the destination, as checked against the source.
export interface ResumeInfo {
  readonly token: string;
  readonly state: 'valid' | 'stale' | 'foreign'; // stale: its source snapshot is gone
  readonly to?: string; // snapshot name the stream ends at (valid)
  readonly tokenFor?: string; // dataset@snapshot the token names (foreign; unset: untraceable)
  readonly why?: string;
}

export interface PairOptions {
  readonly initial: 'oldest' | 'newest'; // first replication: oldest in full then -I, or newest only
  readonly selected: (s: SnapRef) => boolean; // send_types = kept: the destination keeps this type
  readonly force: boolean; // allow destroying destination-only snapshots / replacing data
}

export interface PairInput {
  readonly source: {
    readonly endpoint: Endpoint;
    readonly dataset: string;
    readonly snapshots: readonly SnapRef[];
    readonly bookmarks?: readonly SnapRef[]; // OpenZFS: the source's bookmarks, named without "#"
  };
  readonly dest: {
    readonly endpoint: Endpoint;
    readonly dataset: string;
    readonly exists: boolean;
    readonly createdThisRun?: boolean; // absent from this run's first listing: our own receive made it
    readonly snapshots: readonly SnapRef[];
    readonly holds?: Holdings; // what it holds, when it exists without snapshots
    readonly resume?: ResumeInfo;
  };
  readonly options: PairOptions;
}

// Plan one dataset pair: resume or abort a partial receive, then a full send (first time) or
// the incremental chain from the common base; a destination that would lose something is a
// conflict unless forced. A full receive into a dataset that does not exist creates it, so -F
// is only ever planned over a dataset that --force lets go, or that this run's receive made.
export function planPair(input: PairInput): PairPlan {
  const { source, dest, options } = input;
  const sides: Sides = { source, dest };
  const base = { source: source.dataset, dest: dest.dataset };
  const steps: Step[] = [];
  const notes: string[] = [];
  let destSnaps = [...dest.snapshots];
  let aborted = false;
  const r = dest.resume;
  if (r?.state === 'foreign' && !options.force)
    return { ...base, outcome: 'conflict', steps, conflict: foreignResume(sides, r.tokenFor), notes };
  const resumedTo = r?.state === 'valid' ? source.snapshots.find((s) => s.name === r.to) : undefined;
  if (r && resumedTo) {
    steps.push({ kind: 'resume', token: r.token, to: resumedTo.name });
    destSnaps.push(resumedTo);
  } else if (r) {
    steps.push({ kind: 'abort-resume', why: r.why ?? `its source snapshot ${r.to ?? ''} is gone` });
    aborted = true;
  }
  if (source.snapshots.length === 0) return { ...base, outcome: 'skip', steps, skip: { kind: 'no-snapshots' }, notes };
  const candidates = source.snapshots.filter(options.selected);
  const after = (txg: number): SnapRef[] => source.snapshots.filter((s) => s.createtxg > txg);

  if (destSnaps.length === 0) {
    // After an abort the dataset may be gone (a first receive) or still there (a forced one):
    // the executor lists it again and re-plans, so the full receive is planned as if it were gone.
    const overwrite = dest.exists && !aborted;
    if (overwrite && !dest.createdThisRun && !options.force) {
      return { ...base, outcome: 'conflict', steps, conflict: destExists(sides, dest.holds ?? { children: 0 }), notes };
    }
    if (overwrite && !dest.createdThisRun) notes.push('--force: it exists without snapshots; a full receive overwrites it');
    return fullThenChain(base, steps, notes, candidates, after, options, overwrite);
  }
  const found = findCommonBase(source.snapshots, destSnaps);
  // A bookmark of a newer destination snapshot than the common one (the base itself destroyed on
  // the source, an older common snapshot left) is the better base: nothing on the destination goes.
  const marked = bookmarkBase(source.bookmarks ?? [], destSnaps);
  if (marked && marked.destIndex > found.destIndex) return fromBookmark(base, steps, notes, sides, marked, destSnaps, after, options);
  if (!found.base) {
    if (!options.force) return { ...base, outcome: 'conflict', steps, conflict: noCommon(sides, found.guidMismatches), notes };
    steps.push({ kind: 'destroy-dest', snapshots: destSnaps.map((s) => s.name) });
    notes.push('--force: destination snapshots destroyed, then a full send');
    return fullThenChain(base, steps, notes, candidates, after, options, true);
  }
  const destOnly = destSnaps.slice(found.destIndex + 1);
  if (destOnly.length > 0 && !options.force) {
    return { ...base, outcome: 'conflict', steps, base: found.base.name, conflict: destAhead(sides, found.base.name, destOnly), notes };
  }
  // Forced: the destination-only snapshots are destroyed by name first (zfs-fuse's receive -F
  // rolls back only to the newest snapshot), so the printed plan shows what goes.
  if (destOnly.length > 0) {
    notes.push(`--force: ${destOnly.length} destination-only snapshot(s) newer than @${found.base.name} destroyed`);
    steps.push({ kind: 'destroy-dest', snapshots: destOnly.map((s) => s.name) });
  }
  const chain = incrementalChain(after(found.base.createtxg), found.base.name, options.selected);
  steps.push(...chain);
  const last = chain[chain.length - 1];
  const outcome = steps.length === 0 ? 'up-to-date' : 'send';
  return {
    ...base,
    outcome,
    steps,
    base: found.base.name,
    newBase: last && last.kind === 'incremental' ? last.to : found.base.name,
    notes,
  };
}

// The newest destination snapshot that one of the source's bookmarks marks (same guid: the
// bookmark was made from that very snapshot), for a base destroyed on the source.
function bookmarkBase(bookmarks: readonly SnapRef[], dest: readonly SnapRef[]): { bookmark: SnapRef; destIndex: number } | undefined {
  if (bookmarks.length === 0) return undefined;
  const byGuid = new Map(bookmarks.map((b) => [b.guid, b]));
  for (let i = dest.length - 1; i >= 0; i--) {
    const bookmark = byGuid.get(dest[i]!.guid);
    if (bookmark) return { bookmark, destIndex: i };
  }
  return undefined;
}

// The base snapshot is gone on the source but its bookmark is there: `zfs send -i SRC#bm` to the
// first selected snapshot after it (a bookmark takes -i only, never -I), then the usual chain.
// Destination snapshots newer than the marked one are a conflict, as with a snapshot base.
function fromBookmark(
  base: { source: string; dest: string },
  steps: Step[],
  notes: string[],
  sides: Sides,
  marked: { bookmark: SnapRef; destIndex: number },
  destSnaps: readonly SnapRef[],
  after: (txg: number) => SnapRef[],
  options: PairOptions,
): PairPlan {
  const { bookmark, destIndex } = marked;
  const destBase = destSnaps[destIndex]!.name;
  const destOnly = destSnaps.slice(destIndex + 1);
  if (destOnly.length > 0 && !options.force)
    return { ...base, outcome: 'conflict', steps, base: destBase, conflict: destAhead(sides, destBase, destOnly), notes };
  if (destOnly.length > 0) {
    notes.push(`--force: ${destOnly.length} destination-only snapshot(s) newer than @${destBase} destroyed`);
    steps.push({ kind: 'destroy-dest', snapshots: destOnly.map((s) => s.name) });
  }
  const next = after(bookmark.createtxg).filter(options.selected);
  const first = next[0];
  if (!first)
    return {
      ...base,
      outcome: steps.length > 0 ? 'send' : 'up-to-date',
      steps,
      base: destBase,
      newBase: destBase,
      baseBookmark: bookmark.name,
      notes,
    };
  notes.push(`@${destBase} is gone on the source; sending from its bookmark #${bookmark.name}`);
  steps.push({ kind: 'incremental', from: bookmark.name, to: first.name, flag: '-i', bookmark: true });
  const chain = incrementalChain(after(first.createtxg), first.name, options.selected);
  steps.push(...chain);
  const last = chain[chain.length - 1];
  return {
    ...base,
    outcome: 'send',
    steps,
    base: destBase,
    baseBookmark: bookmark.name,
    newBase: last && last.kind === 'incremental' ? last.to : first.name,
    notes,
  };
}

function fullThenChain(
  base: { source: string; dest: string },
  steps: Step[],
  notes: string[],
  candidates: readonly SnapRef[],
  after: (txg: number) => SnapRef[],
  options: PairOptions,
  force: boolean,
): PairPlan {
  if (candidates.length === 0) return { ...base, outcome: 'skip', steps, skip: { kind: 'nothing-selected' }, notes };
  const first = options.initial === 'oldest' ? candidates[0]! : candidates[candidates.length - 1]!;
  steps.push({ kind: 'full', snapshot: first.name, force });
  const chain = incrementalChain(after(first.createtxg), first.name, options.selected);
  steps.push(...chain);
  const last = chain[chain.length - 1];
  return { ...base, outcome: 'send', steps, newBase: last && last.kind === 'incremental' ? last.to : first.name, notes };
}
