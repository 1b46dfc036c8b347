import type { DatasetState, HostState } from './host-state.js';
import type { Snapshot } from '../../../src/domain/snapshot.js';

// The properties every listing asks for; `zfs get -Hp` works on zfs-fuse and OpenZFS alike.
export const BASE_PROPS = ['type', 'createtxg', 'guid', 'userrefs'] as const;

const MISSING = /cannot open '([^']+)': dataset does not exist/g;

// Parse `zfs get -Hp -r -o name,property,value PROPS ROOTS…` into datasets and their snapshots
// (oldest first by createtxg). Bookmarks ("#") are not listed by get -r; skip them anyway.
export function parseGetOutput(stdout: string, stderr: string): HostState {
  const rows = new Map<string, Record<string, string>>();
  for (const line of stdout.split('\n')) {
    if (line === '') continue;
    const [name, prop, value] = line.split('\t');
    if (name === undefined || prop === undefined || value === undefined || name.includes('#')) continue;
    let r = rows.get(name);
    if (!r) rows.set(name, (r = {}));
    r[prop] = value;
  }
  const datasets = new Map<string, { name: string; type: 'filesystem' | 'volume'; snapshots: Snapshot[]; props: Record<string, string> }>();
  const snaps: Snapshot[] = [];
  for (const [name, r] of rows) {
    const at = name.indexOf('@');
    if (at < 0) {
      if (r.type === 'filesystem' || r.type === 'volume') datasets.set(name, { name, type: r.type, snapshots: [], props: r });
      continue;
    }
    snaps.push({
      dataset: name.slice(0, at),
      name: name.slice(at + 1),
      createtxg: Number(r.createtxg),
      guid: r.guid ?? '',
      userrefs: r.userrefs && /^\d+$/.test(r.userrefs) ? Number(r.userrefs) : 0,
      props: r, // the extra properties a view asked for (creation, used, referenced…)
    });
  }
  snaps.sort((a, b) => a.createtxg - b.createtxg);
  for (const s of snaps) datasets.get(s.dataset)?.snapshots.push(s);
  const missing = [...stderr.matchAll(MISSING)].map((m) => m[1]!);
  return { datasets: datasets as Map<string, DatasetState>, missing };
}

// Top-most roots only: listing a root and its descendant twice would double every row.
export function topRoots(roots: readonly string[]): string[] {
  const sorted = [...new Set(roots)].sort();
  return sorted.filter((r) => !sorted.some((o) => o !== r && r.startsWith(`${o}/`)));
}
