import type { ManagedSnapshot } from '../../../../src/domain/snapshot.js';
import type { SnapType } from '../../../../src/domain/snap-types.js';
import type { KeepRule } from './rule.js';

// Keep every snapshot of a type the config cannot be trusted on (e.g. `hourley = 24` next to an
// unset `hourly`): pyznap would read "keep none" and destroy them all; holdfast keeps them.
export function keepGuardedTypes(guarded: ReadonlyMap<SnapType, string>): KeepRule<ManagedSnapshot> {
  return (candidates) => {
    const kept = new Map<ManagedSnapshot, string>();
    for (const s of candidates) {
      const why = guarded.get(s.parsed.type);
      if (why !== undefined) kept.set(s, why);
    }
    return kept;
  };
}
