import type { Read } from './read.js';
import type { KeepRule } from './rule.js';

// Keep snapshots a caller names with a reason, e.g. the incremental base a destination still
// needs according to the last send.
export function keepNamed<S>(reasons: ReadonlyMap<string, string>, read: Read<S>): KeepRule<S> {
  return (candidates) => {
    const kept = new Map<S, string>();
    if (reasons.size === 0) return kept;
    for (const s of candidates) {
      const why = reasons.get(read.name(s));
      if (why !== undefined) kept.set(s, why);
    }
    return kept;
  };
}
