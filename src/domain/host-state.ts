import type { Snapshot } from './snapshot.js';

// A dataset as listed, with its snapshots oldest first.
export interface DatasetState {
  readonly name: string;
  readonly type: 'filesystem' | 'volume';
  readonly snapshots: readonly Snapshot[];
  readonly props: Readonly<Record<string, string>>; // any extra listed properties, raw (-p)
}

// Everything one listing call returned for a host: datasets in listing order (parents first).
export interface HostState {
  readonly datasets: ReadonlyMap<string, DatasetState>;
  readonly missing: readonly string[]; // requested roots that do not exist
}

// Children per dataset, built once per plan so subtree checks are linear.
export function childrenIndex(names: Iterable<string>): Map<string, string[]> {
  const all = new Set(names);
  const index = new Map<string, string[]>();
  for (const name of all) {
    const slash = name.lastIndexOf('/');
    if (slash < 0) continue;
    const parent = name.slice(0, slash);
    if (!all.has(parent)) continue;
    const list = index.get(parent) ?? [];
    list.push(name);
    index.set(parent, list);
  }
  return index;
}

// `name` and everything below it that the listing holds.
export function subtree(name: string, children: ReadonlyMap<string, readonly string[]>): string[] {
  const out = [name];
  for (let i = 0; i < out.length; i++) out.push(...(children.get(out[i]!) ?? []));
  return out;
}

// The maximal subtrees whose every member satisfies `inSet`: one recursive zfs call covers each.
// Returns their roots; members of `wanted` not under such a root are returned as singles.
export function coverBySubtrees(
  wanted: ReadonlySet<string>,
  children: ReadonlyMap<string, readonly string[]>,
  inSet: (dataset: string) => boolean,
): { roots: string[]; singles: string[] } {
  const whole = new Map<string, boolean>();
  const isWhole = (n: string): boolean => {
    const cached = whole.get(n);
    if (cached !== undefined) return cached;
    const ok = inSet(n) && (children.get(n) ?? []).every(isWhole);
    whole.set(n, ok);
    return ok;
  };
  const roots: string[] = [];
  const covered = new Set<string>();
  for (const n of wanted) {
    if (!isWhole(n) || coveredAbove(n, wanted, isWhole, children)) continue;
    roots.push(n);
    for (const m of subtree(n, children)) covered.add(m);
  }
  const singles = [...wanted].filter((n) => !covered.has(n));
  return { roots, singles };
}

// Whether a wanted, whole ancestor's call already covers `name`: any listed ancestor, not only
// the parent (a parent without the snapshot between two that have it made two `-r` calls over
// one subtree, and the second failed).
function coveredAbove(
  name: string,
  wanted: ReadonlySet<string>,
  isWhole: (n: string) => boolean,
  children: ReadonlyMap<string, readonly string[]>,
): boolean {
  for (let slash = name.lastIndexOf('/'); slash > 0; slash = name.lastIndexOf('/', slash - 1)) {
    const above = name.slice(0, slash);
    if (!children.has(above)) return false; // not listed: the subtrees end here
    if (wanted.has(above) && isWhole(above)) return true;
  }
  return false;
}

// The members of `list` under each root (`roots` from coverBySubtrees: no root is under another),
// in list order. Walking up from each member is linear; filtering the list per root was not.
export function membersByRoot(roots: readonly string[], list: Iterable<string>): Map<string, string[]> {
  const under = new Map<string, string[]>(roots.map((r) => [r, []]));
  for (const d of list) {
    for (let at = d; ; at = at.slice(0, at.lastIndexOf('/'))) {
      const members = under.get(at);
      if (members) {
        members.push(d);
        break;
      }
      if (!at.includes('/')) break;
    }
  }
  return under;
}
