import type { DatasetState, HostState } from '../host-state.js';
import type { SnapType } from '../snap-types.js';
import type { Snapshot } from '../snapshot.js';
import { snapshotType } from '../snapshot-name.js';

// The properties a tree view lists, in the same single `zfs get` as every other listing.
export const TREE_PROPS = ['creation', 'used', 'referenced', 'compressratio'] as const;

export type CountKey = SnapType | 'other';
export const COUNT_KEYS: readonly CountKey[] = ['frequent', 'hourly', 'daily', 'weekly', 'monthly', 'yearly', 'other'];

// One dataset of a tree view: snapshot counts per type ("other": names not in the
// prefix_date_type format, whatever their prefix), the newest snapshot and the space figures.
export interface TreeRow {
  readonly dataset: string;
  readonly depth: number; // below its listed root
  readonly counts: Readonly<Record<CountKey, number>>;
  readonly snapshots: number;
  readonly newest?: { readonly name: string; readonly created?: number }; // epoch seconds
  readonly ageSec?: number; // now − the newest snapshot's creation
  readonly used?: number;
  readonly referenced?: number;
  readonly compressratio?: number; // 1.52 for "1.52x"
}

// Rows for every dataset under `roots`, in tree order (a parent, then its children by name).
export function treeRows(state: HostState, roots: readonly string[], nowMs: number): TreeRow[] {
  const under = (d: string): string | undefined =>
    roots.filter((r) => d === r || d.startsWith(`${r}/`)).sort((a, b) => b.length - a.length)[0];
  const rows: TreeRow[] = [];
  for (const ds of [...state.datasets.values()].sort((a, b) => treeOrder(a.name, b.name))) {
    const root = under(ds.name);
    if (root === undefined) continue;
    rows.push(rowOf(ds, depthBelow(ds.name, root), nowMs));
  }
  return rows;
}

function rowOf(ds: DatasetState, depth: number, nowMs: number): TreeRow {
  const counts = Object.fromEntries(COUNT_KEYS.map((k) => [k, 0])) as Record<CountKey, number>;
  for (const s of ds.snapshots) counts[snapshotType(s.name) ?? 'other']++;
  const newest = ds.snapshots[ds.snapshots.length - 1];
  const created = newest ? createdOf(newest) : undefined;
  return {
    dataset: ds.name,
    depth,
    counts,
    snapshots: ds.snapshots.length,
    ...(newest ? { newest: { name: newest.name, ...(created !== undefined ? { created } : {}) } } : {}),
    ...(created !== undefined ? { ageSec: Math.round(nowMs / 1000) - created } : {}),
    ...num('used', ds.props.used),
    ...num('referenced', ds.props.referenced),
    ...ratio(ds.props.compressratio),
  };
}

// A snapshot's creation time (epoch seconds), when the listing asked for it.
export function createdOf(s: Snapshot): number | undefined {
  const c = s.props?.creation;
  return c !== undefined && /^\d+$/.test(c) ? Number(c) : undefined;
}

// Parents before children, siblings by name: component-wise, so "a/b" sorts before "a b".
export function treeOrder(a: string, b: string): number {
  const pa = a.split('/');
  const pb = b.split('/');
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    if (pa[i] !== pb[i]) return pa[i]! < pb[i]! ? -1 : 1;
  }
  return pa.length - pb.length;
}

export const depthBelow = (dataset: string, root: string): number =>
  dataset === root ? 0 : dataset.slice(root.length + 1).split('/').length;

function num<K extends string>(key: K, raw: string | undefined): Partial<Record<K, number>> {
  return raw !== undefined && /^\d+$/.test(raw) ? ({ [key]: Number(raw) } as Record<K, number>) : {};
}

// OpenZFS prints "1.52" with -p, zfs-fuse "1.52x".
function ratio(raw: string | undefined): { compressratio?: number } {
  const m = raw === undefined ? null : /^(\d+(?:\.\d+)?)x?$/.exec(raw);
  return m ? { compressratio: Number(m[1]) } : {};
}
