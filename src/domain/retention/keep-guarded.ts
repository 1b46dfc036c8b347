import type { SnapType } from '../snap-types.js';
import type { Read } from './read.js';
import type { KeepRule } from './rule.js';

// Keep every snapshot of a type the config cannot be trusted on (e.g. `hourley = 24` next to an
// unset `hourly`): pyznap would read "keep none" and destroy them all; holdfast keeps them.
export function keepGuardedTypes<S>(guarded: ReadonlyMap<SnapType, string>, read: Read<S>): KeepRule<S> {
  return (candidates) => {
    const kept = new Map<S, string>();
    if (guarded.size === 0) return kept;
    for (const s of candidates) {
      const why = guarded.get(read.type(s));
      if (why !== undefined) kept.set(s, why);
    }
    return kept;
  };
}
