import type { ManagedSnapshot } from '../../../../src/domain/snapshot.js';
import { type Counts, SNAP_TYPES, type SnapType } from '../../../../src/domain/snap-types.js';
import type { KeepRule } from './rule.js';

// pyznap's whole algorithm: per type, keep the newest N by creation order ("hourly 3 of 24").
// An unset or zero count keeps none of that type, as in pyznap.
export function keepNewestPerType(counts: Counts): KeepRule<ManagedSnapshot> {
  return (candidates) => {
    const kept = new Map<ManagedSnapshot, string>();
    for (const type of SNAP_TYPES) {
      const n = counts[type] ?? 0;
      if (n <= 0) continue;
      const newestFirst = candidates.filter((s) => s.parsed.type === type).sort((a, b) => b.createtxg - a.createtxg);
      newestFirst.slice(0, n).forEach((s, i) => kept.set(s, `${type} ${i + 1} of ${n}`));
    }
    return kept;
  };
}

// Why a snapshot that no rule kept goes.
export function whyBeyondCount(counts: Counts): (s: ManagedSnapshot) => string {
  return (s) => {
    const n = counts[s.parsed.type as SnapType];
    if (n === undefined) return `${s.parsed.type} count is not set: keep none (as pyznap)`;
    if (n === 0) return `${s.parsed.type} = 0: keep none`;
    return `older than the newest ${n} ${s.parsed.type}`;
  };
}
