import type { DestroyBatch } from '../../domain/snap/clean.js';
import type { SnapshotBatch } from '../../domain/snap/take.js';
import type { LogEvent } from '../ports.js';

// The log event of one executed batch, in the user's words rather than zfs flags: what was
// taken or destroyed, how many datasets a recursive or multi-dataset call covered, and that it
// was one call. `done` is what succeeded; `at` renders a dataset as the config writes it.

export function tookEvent(b: SnapshotBatch, done: readonly string[], at: (dataset: string) => string): LogEvent {
  const oneByOne = done.length < b.covers.length;
  const below = b.covers.length - b.targets.length;
  return {
    kind: 'took',
    snapshot: b.snapName,
    type: b.type,
    datasets: done.map(at),
    roots: (oneByOne ? done : b.targets).map(at),
    call: oneByOne ? 'one-by-one' : below > 0 && b.targets.length === 1 ? 'recursive' : b.targets.length > 1 ? 'atomic' : 'single',
  };
}

export function destroyedEvent(b: DestroyBatch, done: readonly string[], at: (dataset: string) => string): LogEvent {
  const below = new Set(b.covers.map((c) => c.dataset)).size - 1;
  return {
    kind: 'destroyed',
    dataset: at(b.dataset),
    snapshots: b.snapNames,
    descendants: b.recursive ? below : 0,
    call:
      done.length < b.covers.length ? 'one-by-one' : b.recursive && below > 0 ? 'recursive' : b.snapNames.length > 1 ? 'list' : 'single',
    destroyed: done.map(at),
  };
}
