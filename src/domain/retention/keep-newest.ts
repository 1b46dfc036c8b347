import { type Counts, SNAP_TYPES, type SnapType } from '../snap-types.js';
import type { Read } from './read.js';
import type { Reason } from './reason.js';
import type { KeepRule } from './rule.js';

// pyznap's whole algorithm: per type, keep the newest N by creation order ("hourly 3 of 24").
// An unset or zero count keeps none of that type, as in pyznap.
export function keepNewestPerType<S>(counts: Counts, read: Read<S>): KeepRule<S> {
  return (candidates) => {
    const kept = new Map<S, Reason>();
    for (const type of SNAP_TYPES) {
      const n = counts[type] ?? 0;
      if (n <= 0) continue;
      newestOf(candidates, read, type, n).forEach((s, i) => kept.set(s, { code: 'newest', type, rank: i + 1, of: n }));
    }
    return kept;
  };
}

// The newest n of a type, newest first. Listings come oldest first, so walking back from the end
// finds them without sorting a million snapshots; a list out of order (or with equal createtxg)
// is sorted, newest first and otherwise in list order, as before.
function newestOf<S>(candidates: readonly S[], read: Read<S>, type: SnapType, n: number): S[] {
  const ofType = candidates.filter((s) => read.type(s) === type);
  const ascending = ofType.every((s, i) => i === 0 || read.createtxg(ofType[i - 1]!) < read.createtxg(s));
  if (ascending) return ofType.slice(-n).reverse();
  return ofType.sort((a, b) => read.createtxg(b) - read.createtxg(a)).slice(0, n);
}

// Why a snapshot that no rule kept goes: one reason per type, shared by every snapshot it dooms.
export function whyBeyondCount<S>(counts: Counts, read: Read<S>): (s: S) => Reason {
  const byType = new Map<SnapType, Reason>();
  return (s) => {
    const type = read.type(s);
    let r = byType.get(type);
    if (!r) byType.set(type, (r = { code: 'beyond-count', type, count: counts[type] }));
    return r;
  };
}
