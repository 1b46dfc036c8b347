import type { Snapshot } from '../../../../src/domain/snapshot.js';
import type { KeepRule } from './rule.js';

// A held snapshot cannot be destroyed (zfs answers "dataset is busy"), and a hold is how send
// marks an incremental base: keep it, and say whose hold it is when the host can tell.
export function keepHeld<S extends Snapshot>(): KeepRule<S> {
  return (candidates) => {
    const kept = new Map<S, string>();
    for (const s of candidates) {
      if (s.userrefs <= 0) continue;
      const tags = s.holdTags?.length ? `: ${s.holdTags.join(', ')}` : '';
      kept.set(s, `held (${s.userrefs} hold${s.userrefs === 1 ? '' : 's'}${tags})`);
    }
    return kept;
  };
}
