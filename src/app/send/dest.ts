import { parentOf } from '../../domain/dataset-name.js';
import type { HostState } from '../../domain/host-state.js';
import type { DestFacts } from '../../domain/replication/plan-tree.js';
import type { ReplicationOps } from './ports.js';

// What a conflict report says about a destination dataset without snapshots.
const HOLDINGS_PROPS = ['referenced', 'used', 'mounted', 'mountpoint'];

// What planning needs beyond the destination's listing, in one `zfs get` and only when needed:
// the ancestors of a missing root (create only the missing parents; a missing pool is said so),
// and what each dataset without snapshots under the root holds (the conflict report).
export async function destFacts(ops: Pick<ReplicationOps, 'inspect'>, state: HostState, root: string): Promise<DestFacts> {
  const ancestors = state.datasets.has(root) ? [] : ancestorsOf(root);
  const bare = [...state.datasets.values()]
    .filter((d) => d.snapshots.length === 0 && (d.name === root || d.name.startsWith(`${root}/`)))
    .map((d) => d.name);
  if (ancestors.length === 0 && bare.length === 0) return { ancestors: new Set(), props: new Map() };
  const props = await ops.inspect([...ancestors, ...bare], HOLDINGS_PROPS);
  return { ancestors: new Set(ancestors.filter((a) => props.has(a))), props };
}

// "a/b/c" → ["a", "a/b"]: the pool first.
function ancestorsOf(name: string): string[] {
  const out: string[] = [];
  for (let p = parentOf(name); p !== undefined; p = parentOf(p)) out.unshift(p);
  return out;
}
