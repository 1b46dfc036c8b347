import type { DestroyBatch } from '../../domain/snap/clean.js';
import type { SnapshotBatch } from '../../domain/snap/take.js';

// The log line of one executed batch, in the user's words rather than zfs flags: what was
// taken or destroyed, how many datasets a recursive or multi-dataset call covered, and that it
// was one call. `done` is what succeeded; `at` renders a dataset as the config writes it.

export function tookText(b: SnapshotBatch, done: readonly string[], at: (dataset: string) => string): string {
  if (done.length < b.covers.length)
    return `took ${list(done.map((d) => `${at(d)}@${b.snapName}`))} (one at a time: the call for all of them failed)`;
  const named = b.targets.map((t) => `${at(t)}@${b.snapName}`);
  const below = b.covers.length - b.targets.length;
  if (below === 0) return `took ${list(named)}${named.length > 1 ? ' in one atomic call' : ''}`;
  return `took ${named.join(', ')} and ${below} ${below === 1 ? 'descendant' : 'descendants'} in one ${named.length > 1 ? 'atomic' : 'recursive'} call`;
}

export function destroyedText(b: DestroyBatch, done: readonly string[], at: (dataset: string) => string): string {
  if (done.length < b.covers.length) return `destroyed ${list(done.map((s) => at(s)))} (one at a time: the call for all of them failed)`;
  const names = `${at(b.dataset)}@${b.snapNames.join(', @')}`;
  const below = new Set(b.covers.map((c) => c.dataset)).size - 1;
  if (!b.recursive || below === 0) return `destroyed ${names}${b.snapNames.length > 1 ? ' in one call' : ''}`;
  const same = b.snapNames.length > 1 ? 'the same snapshots' : 'the same snapshot';
  return `destroyed ${names} and ${same} of ${below} ${below === 1 ? 'descendant' : 'descendants'} in one recursive call (${done.length} snapshots)`;
}

// "a", "a and b", "a, b and c"
function list(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
