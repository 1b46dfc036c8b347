import type { Snapshot } from '../../../../src/domain/snapshot.js';
import type { KeepRule } from './rule.js';

// Keep snapshots a caller names with a reason, e.g. the incremental base a destination still
// needs according to the last send.
export function keepNamed<S extends Snapshot>(reasons: ReadonlyMap<string, string>): KeepRule<S> {
  return (candidates) => {
    const kept = new Map<S, string>();
    for (const s of candidates) {
      const why = reasons.get(s.name);
      if (why !== undefined) kept.set(s, why);
    }
    return kept;
  };
}
