import type { SnapPolicy } from '../policy.js';
import { type ChainInfo, fullOf, incrementalsIn } from './chain.js';
import { type ChainPosition, type FullEvery, newFullReason } from './full-every.js';
import { type Manifest, storedOrder } from './manifest.js';
import { type SourceSnap, initialSnapshot } from './select.js';

// One stored object to make: z3's style, one object per snapshot step, so each incremental's
// parent is exactly the previous stored snapshot.
export type UploadStep =
  | { readonly kind: 'full'; readonly to: SourceSnap; readonly why: string }
  | { readonly kind: 'incremental'; readonly from: SourceSnap; readonly to: SourceSnap };

export interface UploadInput {
  readonly dataset: string;
  readonly source: readonly SourceSnap[]; // oldest first (createtxg)
  readonly stored: ReadonlyMap<string, Manifest>; // this dataset's manifests by snapshot name
  readonly chains: ReadonlyMap<string, ChainInfo>;
  readonly select: (s: SourceSnap) => boolean;
  readonly policy?: SnapPolicy; // the store's counts choose the first snapshot of a new store
  readonly fullEvery?: FullEvery;
  readonly forceFull?: boolean; // z3's `backup --full`: a full of the target snapshot, only
  readonly upTo?: string; // z3's `--snapshot NAME`: go no further than NAME
}

export interface UploadPlan {
  readonly dataset: string;
  readonly outcome: 'upload' | 'up-to-date' | 'nothing-selected' | 'problem';
  readonly steps: readonly UploadStep[];
  readonly base?: string; // the stored snapshot the first incremental extends
  readonly newest?: string; // the newest stored snapshot after the steps: the next base
  readonly notes: readonly string[];
  readonly problem?: string;
}

// Plan one dataset's uploads. Pure: the same stored state and source snapshots give the same plan.
export function planUploads(u: UploadInput): UploadPlan {
  const notes: string[] = [];
  const base0 = { dataset: u.dataset, notes };
  const upToSnap = u.upTo === undefined ? undefined : u.source.find((s) => s.name === u.upTo);
  if (u.upTo !== undefined && !upToSnap)
    return { ...base0, outcome: 'problem', steps: [], problem: `${u.dataset}@${u.upTo} does not exist on the source` };
  const limit = upToSnap?.createtxg ?? Infinity;
  const eligible = u.source.filter((s) => s.createtxg <= limit && (s === upToSnap || u.select(s)));
  const last = newestStored(u.stored);
  if (u.forceFull) {
    const target = upToSnap ?? eligible[eligible.length - 1];
    if (!target) return { ...base0, outcome: 'nothing-selected', steps: [] };
    const have = u.stored.get(target.name);
    if (have?.kind === 'full' && have.guid === target.guid)
      return {
        ...base0,
        outcome: 'up-to-date',
        steps: [],
        newest: last?.snapshot ?? target.name,
        notes: [`@${target.name} is already stored as a full stream`],
      };
    const steps: UploadStep[] = [{ kind: 'full', to: target, why: '--full' }];
    return {
      ...base0,
      outcome: 'upload',
      steps,
      newest: !last || target.createdMs >= Date.parse(last.created) ? target.name : last.snapshot,
    };
  }
  const base = usableBase(u, last, notes);
  let pos: ChainPosition | undefined = base?.pos;
  let prev = base?.snap;
  // After the base on the source (its own txgs); with no usable base, after the newest stored
  // snapshot's creation time (its txg may come from another pool). Never a snapshot the store has.
  const storedGuids = new Set([...u.stored.values()].map((m) => m.guid));
  const after = (s: SourceSnap): boolean => (prev ? s.createtxg > prev.createtxg : last ? s.createdMs > Date.parse(last.created) : true);
  const todo = eligible.filter((s) => after(s) && !storedGuids.has(s.guid));
  let candidates = todo; // with no usable base: a new chain from the first one after the last stored
  if (!prev) {
    if (!last) {
      const first = initialSnapshot(eligible, u.policy);
      if (!first) return { ...base0, outcome: 'nothing-selected', steps: [] };
      candidates = eligible.filter((s) => s.createtxg >= first.snap.createtxg);
      notes.push(`first upload: a full stream of @${first.snap.name}, ${first.why}`);
    }
  }
  if (candidates.length === 0) {
    return {
      ...base0,
      outcome: eligible.length === 0 && !last ? 'nothing-selected' : 'up-to-date',
      steps: [],
      ...(last ? { newest: last.snapshot } : {}),
    };
  }
  const steps: UploadStep[] = [];
  for (const next of candidates) {
    const why =
      !prev || !pos
        ? last
          ? 'a new chain: the newest stored snapshot cannot be extended'
          : 'the first stored snapshot'
        : newFullReason(u.fullEvery, pos, next.createdMs);
    if (!prev || !pos || why) {
      steps.push({ kind: 'full', to: next, why: why ?? 'a new chain' });
      pos = { fullSnapshot: next.name, fullCreatedMs: next.createdMs, incrementals: 0 };
    } else {
      steps.push({ kind: 'incremental', from: prev, to: next });
      pos = { ...pos, incrementals: pos.incrementals + 1 };
    }
    prev = next;
  }
  return { ...base0, outcome: 'upload', steps, ...(base ? { base: base.snap.name } : {}), newest: prev!.name };
}

function newestStored(stored: ReadonlyMap<string, Manifest>): Manifest | undefined {
  let best: Manifest | undefined;
  for (const m of stored.values()) if (!best || storedOrder(m, best) > 0) best = m;
  return best;
}

// The newest stored snapshot, if the next upload can extend its chain: healthy, still on the
// source, and the same snapshot there (guid). Otherwise a note says why a new chain starts.
function usableBase(u: UploadInput, last: Manifest | undefined, notes: string[]): { snap: SourceSnap; pos: ChainPosition } | undefined {
  if (!last) return undefined;
  const chain = u.chains.get(last.snapshot);
  const src = u.source.find((s) => s.name === last.snapshot);
  const full = chain && fullOf(chain);
  if (!chain?.healthy || !full)
    notes.push(
      `the newest stored snapshot @${last.snapshot} has a broken chain (${chain?.problem ?? 'unknown'}): starting a new full chain`,
    );
  else if (!src) notes.push(`@${last.snapshot}, the newest stored snapshot, no longer exists on the source: starting a new full chain`);
  else if (src.guid !== last.guid)
    notes.push(
      `@${last.snapshot} on the source (guid ${src.guid}) is not the stored one (guid ${last.guid}); the dataset was recreated: starting a new full chain`,
    );
  else
    return {
      snap: src,
      pos: { fullSnapshot: full.snapshot, fullCreatedMs: Date.parse(full.created), incrementals: incrementalsIn(chain) },
    };
  return undefined;
}
