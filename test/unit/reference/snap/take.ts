import { type HostState, childrenIndex, coverBySubtrees } from '../host-state.js';
import { type SnapPolicy, managedPrefixes } from '../../../../src/domain/policy.js';
import { isDue } from './schedule.js';
import { SNAP_TYPES, type SnapType } from '../../../../src/domain/snap-types.js';
import { formatSnapshotName, parseSnapshotName } from '../snapshot-name.js';
import type { WallTime } from '../../../../src/domain/wall-time.js';
import { wallTimeAt } from '../../../../src/domain/zone.js';

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
    const parsed = ds.snapshots.flatMap((s) => {
      const p = parseSnapshotName(s.name);
      return p && prefixes.includes(p.prefix) ? [p] : [];
    });
    for (const type of SNAP_TYPES) {
      if ((policy.counts[type] ?? 0) <= 0) continue;
      const existing = parsed.filter((p) => p.type === type).map((p) => p.time);
      const d = isDue(type, existing, now);
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
    return [
      ...roots.map((r) =>
        make(
          true,
          [r],
          [...datasets].filter((d) => d === r || d.startsWith(`${r}/`)),
        ),
      ),
      ...singles.map((s) => make(false, [s], [s])),
    ];
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
