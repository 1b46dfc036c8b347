import type { ManagedSnapshot } from '../snapshot.js';
import { type Counts, SNAP_TYPES, type SnapType } from '../snap-types.js';
import type { Reason } from './reason.js';
import type { KeepRule } from './rule.js';

// pyznap's whole algorithm: per type, keep the newest N by creation order ("hourly 3 of 24").
// An unset or zero count keeps none of that type, as in pyznap.
export function keepNewestPerType(counts: Counts): KeepRule<ManagedSnapshot> {
  return (candidates) => {
    const kept = new Map<ManagedSnapshot, Reason>();
    for (const type of SNAP_TYPES) {
      const n = counts[type] ?? 0;
      if (n <= 0) continue;
      newestOf(candidates, type, n).forEach((s, i) => kept.set(s, { code: 'newest', type, rank: i + 1, of: n }));
    }
    return kept;
  };
}

// The newest n of a type, newest first. Listings come oldest first, so walking back from the end
// finds them without sorting a million snapshots; a list out of order (or with equal createtxg)
// is sorted, newest first and otherwise in list order, as before.
function newestOf(candidates: readonly ManagedSnapshot[], type: SnapType, n: number): ManagedSnapshot[] {
  const ofType = candidates.filter((s) => s.parsed.type === type);
  const ascending = ofType.every((s, i) => i === 0 || ofType[i - 1]!.createtxg < s.createtxg);
  if (ascending) return ofType.slice(-n).reverse();
  return ofType.sort((a, b) => b.createtxg - a.createtxg).slice(0, n);
}

// Why a snapshot that no rule kept goes: one reason per type, shared by every snapshot it dooms.
export function whyBeyondCount(counts: Counts): (s: ManagedSnapshot) => Reason {
  const byType = new Map<SnapType, Reason>();
  return (s) => {
    const type = s.parsed.type;
    let r = byType.get(type);
    if (!r) byType.set(type, (r = { code: 'beyond-count', type, count: counts[type] }));
    return r;
  };
}
