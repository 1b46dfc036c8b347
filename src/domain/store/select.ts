import { type SnapPolicy, managedPrefixes } from '../policy.js';
import { SNAP_TYPES } from '../snap-types.js';
import { parseSnapshotName } from '../snapshot-name.js';

// A source snapshot as the store planners see it.
export interface SourceSnap {
  readonly name: string;
  readonly guid: string;
  readonly createtxg: number;
  readonly createdMs: number;
  readonly userrefs: number;
}

// Which source snapshots a store takes: those whose name starts with `snapshot_prefix` (z3's
// SNAPSHOT_PREFIX), and, when the store's section sets retention counts, only managed snapshots
// of the types it keeps (a store never uploads what its own retention would delete at once).
export interface StoreSelection {
  readonly snapshotPrefix?: string;
  readonly policy?: SnapPolicy; // the store section's policy
}

export function hasCounts(p: SnapPolicy | undefined): p is SnapPolicy {
  return p !== undefined && SNAP_TYPES.some((t) => (p.counts[t] ?? 0) > 0 || p.guardedTypes.has(t));
}

export function storeSelector(sel: StoreSelection): (s: { name: string }) => boolean {
  const prefix = sel.snapshotPrefix;
  const policy = hasCounts(sel.policy) ? sel.policy : undefined;
  const prefixes = policy ? managedPrefixes(policy) : [];
  return (s) => {
    if (prefix && !s.name.startsWith(prefix)) return false;
    if (!policy) return true;
    const parsed = parseSnapshotName(s.name);
    if (!parsed || !prefixes.includes(parsed.prefix)) return false;
    return (policy.counts[parsed.type] ?? 0) > 0 || policy.guardedTypes.has(parsed.type);
  };
}

// The first snapshot of a new store: the oldest one the store's counts would keep (so the first
// run uploads exactly what retention keeps), or, without counts, the newest (one full, then
// incrementals from there on; set counts to back up history).
export function initialSnapshot(
  eligible: readonly SourceSnap[],
  policy: SnapPolicy | undefined,
): { snap: SourceSnap; why: string } | undefined {
  if (eligible.length === 0) return undefined;
  if (!hasCounts(policy)) return { snap: eligible[eligible.length - 1]!, why: 'the newest snapshot (the store section sets no counts)' };
  const prefixes = managedPrefixes(policy);
  let oldest: SourceSnap | undefined;
  for (const type of SNAP_TYPES) {
    const n = policy.guardedTypes.has(type) ? Infinity : (policy.counts[type] ?? 0);
    if (n <= 0) continue;
    const ofType = eligible.filter((s) => {
      const p = parseSnapshotName(s.name);
      return p !== undefined && p.type === type && prefixes.includes(p.prefix);
    });
    const kept = ofType.slice(Math.max(0, ofType.length - n));
    if (kept[0] && (!oldest || kept[0].createtxg < oldest.createtxg)) oldest = kept[0];
  }
  const snap = oldest ?? eligible[eligible.length - 1]!;
  return { snap, why: oldest ? "the oldest snapshot the store's counts keep" : 'the newest snapshot' };
}
