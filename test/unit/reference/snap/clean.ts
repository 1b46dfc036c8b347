import { type HostState, childrenIndex, coverBySubtrees } from '../host-state.js';
import { type SnapPolicy, managedPrefixes } from '../../../../src/domain/policy.js';
import { keepGuardedTypes } from '../retention/keep-guarded.js';
import { keepHeld } from '../retention/keep-held.js';
import { keepNamed } from '../retention/keep-named.js';
import { keepNewestPerType, whyBeyondCount } from '../retention/keep-newest.js';
import { type Verdict, decide } from '../retention/rule.js';
import type { ManagedSnapshot } from '../../../../src/domain/snapshot.js';
import { parseSnapshotName } from '../snapshot-name.js';

// One `zfs destroy` call: `-r root@a[,b…]` over whole subtrees, or one dataset's snapshots.
export interface DestroyBatch {
  readonly kind: 'destroy';
  readonly dataset: string;
  readonly snapNames: readonly string[]; // more than one only where the host takes comma lists
  readonly recursive: boolean;
  readonly covers: readonly { dataset: string; name: string }[];
}

export interface DatasetVerdicts {
  readonly dataset: string;
  readonly section: string;
  readonly verdicts: readonly Verdict<ManagedSnapshot>[];
}

export interface CleanPlan {
  readonly batches: readonly DestroyBatch[];
  readonly datasets: readonly DatasetVerdicts[];
}

export interface CleanCapabilities {
  readonly commaDestroy: boolean; // OpenZFS: `zfs destroy fs@a,b,c`
  readonly recursive?: boolean; // false: never destroy over a subtree (btrfs)
}

// Snapshots other parties need kept, per dataset: name → reason (e.g. a destination's base).
export type Protections = ReadonlyMap<string, ReadonlyMap<string, string>>;

// Decide, per dataset with clean = yes, which managed snapshots go and why; then cover the
// destroys with as few `zfs destroy` calls as the host allows.
export function planClean(
  state: HostState,
  policies: ReadonlyMap<string, SnapPolicy>,
  protections: Protections,
  caps: CleanCapabilities,
): CleanPlan {
  const datasets: DatasetVerdicts[] = [];
  const doomed = new Map<string, Set<string>>(); // snapshot name → datasets losing it
  for (const [dataset, policy] of policies) {
    const ds = state.datasets.get(dataset);
    if (!ds || !policy.clean) continue;
    const prefixes = managedPrefixes(policy);
    const candidates: ManagedSnapshot[] = ds.snapshots.flatMap((s) => {
      const parsed = parseSnapshotName(s.name);
      return parsed && prefixes.includes(parsed.prefix) ? [{ ...s, parsed }] : [];
    });
    const rules = [
      keepNewestPerType(policy.counts),
      keepHeld<ManagedSnapshot>(),
      keepNamed<ManagedSnapshot>(protections.get(dataset) ?? new Map()),
      keepGuardedTypes(policy.guardedTypes),
    ];
    const verdicts = decide(candidates, rules, whyBeyondCount(policy.counts));
    datasets.push({ dataset, section: policy.section, verdicts });
    for (const v of verdicts) {
      if (v.keep) continue;
      const set = doomed.get(v.item.name) ?? new Set<string>();
      set.add(dataset);
      doomed.set(v.item.name, set);
    }
  }
  return { batches: batchDestroys(state, doomed, caps), datasets };
}

function batchDestroys(state: HostState, doomed: Map<string, Set<string>>, caps: CleanCapabilities): DestroyBatch[] {
  const children = childrenIndex(state.datasets.keys());
  const existing = new Set<string>();
  for (const ds of state.datasets.values()) for (const s of ds.snapshots) existing.add(`${ds.name}@${s.name}`);
  const hasSnap = (dataset: string, name: string): boolean => existing.has(`${dataset}@${name}`);
  // (dataset, recursive) → names, so comma-capable hosts get one call per group.
  const groups = new Map<string, { dataset: string; recursive: boolean; names: string[]; covers: { dataset: string; name: string }[] }>();
  const add = (dataset: string, recursive: boolean, name: string, covered: string[]): void => {
    const key = `${recursive ? 'r' : '-'}\u0000${dataset}`;
    const g = groups.get(key) ?? { dataset, recursive, names: [], covers: [] };
    g.names.push(name);
    g.covers.push(...covered.map((d) => ({ dataset: d, name })));
    groups.set(key, g);
  };
  for (const [name, datasets] of doomed) {
    // A subtree qualifies for `-r` only if nothing in it keeps a snapshot of that name.
    const { roots, singles } =
      caps.recursive === false
        ? { roots: [], singles: [...datasets] }
        : coverBySubtrees(datasets, children, (d) => datasets.has(d) || !hasSnap(d, name));
    for (const r of roots)
      add(
        r,
        true,
        name,
        [...datasets].filter((d) => d === r || d.startsWith(`${r}/`)),
      );
    for (const s of singles) add(s, false, name, [s]);
  }
  return [...groups.values()].flatMap((g) => {
    const sameCall = caps.commaDestroy ? [g.names] : g.names.map((n) => [n]);
    return sameCall.map((names) => ({
      kind: 'destroy' as const,
      dataset: g.dataset,
      snapNames: names,
      recursive: g.recursive,
      covers: g.covers.filter((c) => names.includes(c.name)),
    }));
  });
}
