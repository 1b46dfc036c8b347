import { type HostState, childrenIndex, coverBySubtrees, membersByRoot } from '../host-state.js';
import { type SnapPolicy, managedPrefixes } from '../policy.js';
import { dueFrom, periodKey } from './schedule.js';
import { SNAP_TYPES, type SnapType } from '../snap-types.js';
import { ManagedName, formatSnapshotName } from '../snapshot-name.js';
import type { WallTime } from '../wall-time.js';
import { wallTimeAt } from '../zone.js';

// One `zfs snapshot` call: either `-r` on subtree roots, or an explicit list of datasets.
export interface SnapshotBatch {
  readonly kind: 'snapshot';
  readonly snapName: string;
  readonly type: SnapType;
  readonly recursive: boolean;
  readonly targets: readonly string[]; // datasets named on the command line
  readonly covers: readonly string[]; // every dataset that gets the snapshot
}

export interface TakeDecision {
  readonly dataset: string;
  readonly type: SnapType;
  readonly due: boolean;
  readonly why: string;
  readonly snapName?: string;
  readonly unchanged?: true; // due, but skipped: snap_if_changed and the data has not changed
}

export interface TakePlan {
  readonly batches: readonly SnapshotBatch[];
  readonly decisions: readonly TakeDecision[];
}

export interface TakeCapabilities {
  // OpenZFS takes several snapshots atomically in one call; zfs-fuse takes one per call.
  readonly multiSnapshot: boolean;
  // false where a snapshot never covers children (btrfs subvolumes): every target is single.
  readonly recursive?: boolean;
}

// Decide which types are due on which datasets at `nowMs`, then cover them with as few
// `zfs snapshot` calls as the host allows. One timestamp for the whole run (pyznap read the
// clock once per type, so the six names of one run could differ). `unchanged` (snap_if_changed)
// names datasets whose data has not changed, with why: their due types are skipped, each type's
// own due decision untouched, so a skipped type never makes another type due or not due.
export function planTake(
  state: HostState,
  policies: ReadonlyMap<string, SnapPolicy>,
  nowMs: number,
  caps: TakeCapabilities,
  unchanged: ReadonlyMap<string, string> = new Map(),
): TakePlan {
  const decisions: TakeDecision[] = [];
  const dueByName = new Map<string, { type: SnapType; datasets: Set<string> }>();
  const nowIn = new Map<string, WallTime>();
  for (const [dataset, policy] of policies) {
    const ds = state.datasets.get(dataset);
    if (!ds || !policy.snap) continue;
    let now = nowIn.get(policy.zone);
    if (!now) nowIn.set(policy.zone, (now = wallTimeAt(nowMs, policy.zone)));
    const prefixes = managedPrefixes(policy);
    // One pass over the snapshots: per type, how many there are and whether one is in now's
    // period (the time of a name is parsed only until one is found).
    const nowKey = new Map<SnapType, string>();
    const count = new Map<SnapType, number>();
    const inPeriod = new Set<SnapType>();
    for (const type of SNAP_TYPES) if ((policy.counts[type] ?? 0) > 0) nowKey.set(type, periodKey(type, now));
    for (const s of ds.snapshots) {
      const p = ManagedName.of(s.name, prefixes);
      const key = p && nowKey.get(p.type);
      if (!p || key === undefined) continue;
      count.set(p.type, (count.get(p.type) ?? 0) + 1);
      if (!inPeriod.has(p.type) && periodKey(p.type, p.time) === key) inPeriod.add(p.type);
    }
    for (const type of nowKey.keys()) {
      const d = dueFrom(type, count.get(type) ?? 0, inPeriod.has(type));
      if (!d.due) {
        decisions.push({ dataset, type, due: false, why: d.why });
        continue;
      }
      const skip = unchanged.get(dataset);
      if (skip !== undefined) {
        decisions.push({ dataset, type, due: false, why: `${d.why}, but ${skip}`, unchanged: true });
        continue;
      }
      const snapName = formatSnapshotName(policy.prefix, now, type);
      decisions.push({ dataset, type, due: true, why: d.why, snapName });
      const entry = dueByName.get(snapName) ?? { type, datasets: new Set<string>() };
      entry.datasets.add(dataset);
      dueByName.set(snapName, entry);
    }
  }
  const children = childrenIndex(state.datasets.keys());
  const batches = [...dueByName].flatMap(([snapName, { type, datasets }]) => batchesFor(snapName, type, datasets, children, caps));
  return { batches, decisions };
}

function batchesFor(
  snapName: string,
  type: SnapType,
  datasets: ReadonlySet<string>,
  children: ReadonlyMap<string, readonly string[]>,
  caps: TakeCapabilities,
): SnapshotBatch[] {
  const { roots, singles } =
    caps.recursive === false ? { roots: [], singles: [...datasets] } : coverBySubtrees(datasets, children, (d) => datasets.has(d));
  const make = (recursive: boolean, targets: string[], covers: string[]): SnapshotBatch => ({
    kind: 'snapshot',
    snapName,
    type,
    recursive,
    targets,
    covers,
  });
  if (!caps.multiSnapshot) {
    const under = membersByRoot(roots, datasets);
    return [...roots.map((r) => make(true, [r], under.get(r)!)), ...singles.map((s) => make(false, [s], [s]))];
  }
  // OpenZFS: one atomic call per pool (a snapshot call cannot span pools).
  return [...groupByPool([...datasets])].map(([, members]) => {
    const inPool = new Set(members);
    const poolRoots = roots.filter((r) => inPool.has(r));
    const poolSingles = singles.filter((s) => inPool.has(s));
    return poolSingles.length === 0 ? make(true, poolRoots, members) : make(false, members, members);
  });
}

function groupByPool(datasets: readonly string[]): Map<string, string[]> {
  const pools = new Map<string, string[]>();
  for (const d of datasets) {
    const pool = d.split('/')[0]!;
    const list = pools.get(pool);
    if (list) list.push(d);
    else pools.set(pool, [d]);
  }
  return pools;
}
