import type { ComparePair } from '../views/compare.js';
import { lagCheck } from './freshness.js';
import type { Check } from './nagios.js';
import type { Thresholds } from './thresholds.js';

// One configured source → destination, as compare saw it.
export interface ReplicationView {
  readonly label: string; // "tank/data -> ssh::root@nas:pool/data"
  readonly pairs: readonly { readonly label: string; readonly pair: ComparePair }[]; // every dataset of the tree
  readonly sourceMissing: boolean;
  readonly unlisted?: { readonly side: 'source' | 'destination'; readonly error: string };
}

const SEND = 'nothing has been received (holdfast send replicates it)';

// A destination that is missing or holds no snapshot is CRITICAL: the backup does not exist,
// whatever the lag says (a lag counts from the source's oldest snapshot, which may be young).
// A host that cannot be listed is UNKNOWN (Nagios: the plugin cannot tell). Otherwise the
// replication lag of every dataset pair.
export function replicationChecks(v: ReplicationView, t: Thresholds): Check[] {
  if (v.unlisted) return [{ status: 'UNKNOWN', message: `${v.label}: cannot list the ${v.unlisted.side}: ${v.unlisted.error}` }];
  if (v.sourceMissing) return [{ status: 'CRITICAL', message: `${v.label}: the source does not exist` }];
  const root = v.pairs.find((p) => p.pair.depth === 0)?.pair;
  if (root && root.state !== 'excluded') {
    if (root.state === 'missing-on-target') return [{ status: 'CRITICAL', message: `${v.label}: the destination does not exist; ${SEND}` }];
    if (root.counts.target === 0 && root.state !== 'conflict')
      return [{ status: 'CRITICAL', message: `${v.label}: the destination has no snapshot; ${SEND}` }];
  }
  return v.pairs.flatMap((p) => {
    const c = lagCheck(p.label, p.pair, t);
    return c ? [c] : [];
  });
}
