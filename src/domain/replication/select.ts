import { type SnapPolicy, managedPrefixes } from '../policy.js';
import { parseSnapshotName } from '../snapshot-name.js';
import type { SnapRef } from './types.js';

// Which source snapshots go over. `all` (default, as pyznap): every snapshot, whatever its
// name. `kept`: only managed snapshots of a type the destination's own policy keeps (count > 0,
// or guarded), so frequents are not shipped only to be pruned there (pyznap #98).
export type SendTypes = 'all' | 'kept';

export function snapshotSelector(mode: SendTypes, destPolicy: SnapPolicy | undefined): (s: SnapRef) => boolean {
  if (mode === 'all' || !destPolicy) return () => true;
  const prefixes = managedPrefixes(destPolicy);
  return (s) => {
    const parsed = parseSnapshotName(s.name);
    if (!parsed || !prefixes.includes(parsed.prefix)) return false;
    const count = destPolicy.counts[parsed.type];
    return (count !== undefined && count !== 0) || destPolicy.guardedTypes.has(parsed.type);
  };
}
