import type { Snapshot } from '../snapshot.js';
import type { Reason } from './reason.js';
import type { KeepRule } from './rule.js';

// A held snapshot cannot be destroyed (zfs answers "dataset is busy"), and a hold is how send
// marks an incremental base: keep it, and say whose hold it is when the host can tell.
export function keepHeld<S extends Snapshot>(): KeepRule<S> {
  return (candidates) => {
    const kept = new Map<S, Reason>();
    for (const s of candidates) if (s.userrefs > 0) kept.set(s, { code: 'held', holds: s.userrefs, tags: s.holdTags });
    return kept;
  };
}
