import type { Read } from './read.js';
import type { Reason } from './reason.js';
import type { KeepRule } from './rule.js';

// A held snapshot cannot be destroyed (zfs answers "dataset is busy"), and a hold is how send
// marks an incremental base: keep it, and say whose hold it is when the host can tell.
export function keepHeld<S>(read: Read<S>): KeepRule<S> {
  return (candidates) => {
    const kept = new Map<S, Reason>();
    for (const s of candidates) {
      const holds = read.userrefs(s);
      if (holds > 0) kept.set(s, { code: 'held', holds, tags: read.holdTags(s) });
    }
    return kept;
  };
}
