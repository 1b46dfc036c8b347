import { type HostState, childrenIndex, coverBySubtrees, membersByRoot } from '../host-state.js';
import { type SnapPolicy, managedPrefixes } from '../policy.js';
import { keepGuardedTypes } from '../retention/keep-guarded.js';
import { keepHeld } from '../retention/keep-held.js';
import { keepNamed } from '../retention/keep-named.js';
import { keepNewestPerType, whyBeyondCount } from '../retention/keep-newest.js';
import type { Read } from '../retention/read.js';
import { type Verdict, decide, unkept, withItem } from '../retention/rule.js';
import { type ManagedSnapshot, type Snapshot, asManaged } from '../snapshot.js';
import { ManagedName } from '../snapshot-name.js';
import { SNAP_TYPES } from '../snap-types.js';

// One `zfs destroy` call: `-r root@a[,b…]` over whole subtrees, or one dataset's snapshots.
export interface DestroyBatch {
  readonly kind: 'destroy';
  readonly dataset: string;
  readonly snapNames: readonly string[]; // more than one only where the host takes comma lists
  readonly recursive: boolean;
  readonly covers: readonly { dataset: string; name: string }[];
}

export interface DatasetVerdicts {
  readonly dataset: string;
  readonly section: string;
  readonly verdicts: readonly Verdict<ManagedSnapshot>[];
}

export interface CleanPlan {
  readonly batches: readonly DestroyBatch[];
  readonly datasets: readonly DatasetVerdicts[];
}

export interface CleanCapabilities {
  readonly commaDestroy: boolean; // OpenZFS: `zfs destroy fs@a,b,c`
  readonly recursive?: boolean; // false: never destroy over a subtree (btrfs)
}

// Snapshots other parties need kept, per dataset: name → reason (e.g. a destination's base).
export type Protections = ReadonlyMap<string, ReadonlyMap<string, string>>;

// Decide, per dataset with clean = yes, which managed snapshots go and why; then cover the
// destroys with as few `zfs destroy` calls as the host allows.
export function planClean(
  state: HostState,
  policies: ReadonlyMap<string, SnapPolicy>,
  protections: Protections,
  caps: CleanCapabilities,
): CleanPlan {
  const datasets: DatasetVerdicts[] = [];
  // snapshot name → the datasets losing it, in policy order: a string while it is one (a million
  // one-element arrays were a sixth of a large plan's memory)
  const doomed = new Map<string, string | string[]>();
  for (const [dataset, policy] of policies) {
    const ds = state.datasets.get(dataset);
    if (!ds || !policy.clean) continue;
    const prefixes = managedPrefixes(policy);
    // Candidates are positions in the listing, each with its type as a byte (1 + its index in
    // SNAP_TYPES): no object per snapshot.
    const types = new Uint8Array(ds.snapshots.length);
    const candidates: number[] = [];
    ds.snapshots.forEach((s, i) => {
      const type = ManagedName.of(s.name, prefixes)?.type;
      if (type === undefined) return;
      types[i] = SNAP_TYPES.indexOf(type) + 1;
      candidates.push(i);
    });
    const read = positionRead(ds.snapshots, types);
    const rules = [
      keepNewestPerType(policy.counts, read),
      keepHeld(read),
      keepNamed(protections.get(dataset) ?? new Map(), read),
      keepGuardedTypes(policy.guardedTypes, read),
    ];
    datasets.push(
      lazyVerdicts(dataset, policy.section, () =>
        decide(candidates, rules, whyBeyondCount(policy.counts, read)).map((v) => withItem(v, asManaged(ds.snapshots[v.item]!, prefixes)!)),
      ),
    );
    const goes = unkept(candidates, rules);
    const staying = goes.length === 0 ? new Set<string>() : namesKept(ds.snapshots, candidates, goes);
    for (const i of goes) {
      const name = ds.snapshots[i]!.name;
      if (staying.has(name)) continue; // `zfs destroy` takes a name: one copy kept keeps them all
      const had = doomed.get(name);
      if (had === undefined) doomed.set(name, dataset);
      else if (typeof had === 'string') {
        if (had !== dataset) doomed.set(name, [had, dataset]);
      } else if (had[had.length - 1] !== dataset) had.push(dataset); // a listing may repeat a name
    }
  }
  return { batches: batchDestroys(state, doomed, caps), datasets };
}

// The names of the candidates that stay; `goes` is a subsequence of `candidates`.
function namesKept(snapshots: readonly Snapshot[], candidates: readonly number[], goes: readonly number[]): Set<string> {
  const names = new Set<string>();
  let j = 0;
  for (const i of candidates) {
    if (goes[j] === i) j++;
    else names.add(snapshots[i]!.name);
  }
  return names;
}

// Reads candidates only: a position that is not one has no type.
function positionRead(snapshots: readonly Snapshot[], types: Uint8Array): Read<number> {
  return {
    type: (i) => SNAP_TYPES[types[i]! - 1]!,
    createtxg: (i) => snapshots[i]!.createtxg,
    name: (i) => snapshots[i]!.name,
    userrefs: (i) => snapshots[i]!.userrefs,
    holdTags: (i) => snapshots[i]!.holdTags,
  };
}

// A dataset's verdicts, built when first read (--explain, --json, plan): clean itself needs only
// which snapshots go, and a million verdicts nobody prints would not fit in 300 MB.
export function lazyVerdicts(dataset: string, section: string, build: () => readonly Verdict<ManagedSnapshot>[]): DatasetVerdicts {
  let built: readonly Verdict<ManagedSnapshot>[] | undefined;
  return {
    dataset,
    section,
    get verdicts() {
      return (built ??= build());
    },
  };
}

// One group of destroys on one dataset (recursive or not): the names, and for each name the
// datasets that lose it. Covers are built only when read: a million {dataset, name} pairs
// nobody prints are a third of the plan's memory.
class Batch implements DestroyBatch {
  readonly kind = 'destroy';
  constructor(
    readonly dataset: string,
    readonly recursive: boolean,
    readonly snapNames: readonly string[],
    private readonly losing: readonly (readonly string[])[], // per name, the datasets that lose it
  ) {}
  get covers(): { dataset: string; name: string }[] {
    return this.snapNames.flatMap((name, i) => this.losing[i]!.map((dataset) => ({ dataset, name })));
  }
}

function batchDestroys(state: HostState, doomed: ReadonlyMap<string, string | readonly string[]>, caps: CleanCapabilities): DestroyBatch[] {
  const children = childrenIndex(state.datasets.keys());
  // Whether a dataset has a snapshot of that name: one set of names per dataset, built only for
  // the datasets a subtree check asks about (those that keep a doomed name, or lack it).
  const namesOf = new Map<string, Set<string>>();
  const hasSnap = (dataset: string, name: string): boolean => {
    let names = namesOf.get(dataset);
    if (!names) namesOf.set(dataset, (names = new Set(state.datasets.get(dataset)?.snapshots.map((s) => s.name))));
    return names.has(name);
  };
  // (dataset, recursive) → names and who loses each, so comma-capable hosts get one call per group.
  const groups = new Map<string, { dataset: string; recursive: boolean; names: string[]; losing: (readonly string[])[] }>();
  const alone = new Map<string, readonly string[]>(); // dataset → [dataset], shared by its single destroys
  const add = (dataset: string, recursive: boolean, name: string, losing: readonly string[]): void => {
    const key = `${recursive ? 'r' : '-'}\u0000${dataset}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { dataset, recursive, names: [], losing: [] }));
    g.names.push(name);
    g.losing.push(losing);
  };
  const itself = (dataset: string): readonly string[] => {
    let self = alone.get(dataset);
    if (!self) alone.set(dataset, (self = [dataset]));
    return self;
  };
  for (const [name, losing] of doomed) {
    const list = typeof losing === 'string' ? [losing] : losing;
    if (caps.recursive === false) {
      for (const d of list) add(d, false, name, itself(d));
      continue;
    }
    // A dataset without children is a whole subtree of its own: no search needed (one dataset
    // holding a million snapshots is the common worst case).
    if (list.length === 1 && !children.has(list[0]!)) {
      add(list[0]!, true, name, itself(list[0]!));
      continue;
    }
    const datasets = new Set(list);
    // A subtree qualifies for `-r` only if nothing in it keeps a snapshot of that name.
    const { roots, singles } = coverBySubtrees(datasets, children, (d) => datasets.has(d) || !hasSnap(d, name));
    const under = membersByRoot(roots, list);
    for (const r of roots) add(r, true, name, under.get(r)!);
    for (const s of singles) add(s, false, name, itself(s));
  }
  return [...groups.values()].flatMap((g) =>
    caps.commaDestroy
      ? [new Batch(g.dataset, g.recursive, g.names, g.losing)]
      : g.names.map((n, i) => new Batch(g.dataset, g.recursive, [n], [g.losing[i]!])),
  );
}
