import type { SnapRef } from './types.js';

export interface BaseSearch {
  readonly base?: SnapRef; // the source's copy of the newest common snapshot
  readonly destIndex: number; // index of the base among the destination's snapshots, -1 if none
  readonly guidMismatches: readonly string[]; // names on both sides whose guids differ
}

// The common base: the newest destination snapshot whose name exists on the source with the
// same guid. A name match with a different guid is a different snapshot (a recreated dataset,
// another source), never a base; pyznap matched names only and then failed inside zfs receive.
export function findCommonBase(source: readonly SnapRef[], dest: readonly SnapRef[]): BaseSearch {
  const byName = new Map(source.map((s) => [s.name, s]));
  const guidMismatches: string[] = [];
  for (let i = dest.length - 1; i >= 0; i--) {
    const d = dest[i]!;
    const s = byName.get(d.name);
    if (!s) continue;
    if (s.guid === d.guid) return { base: s, destIndex: i, guidMismatches: guidMismatches.reverse() };
    guidMismatches.push(d.name);
  }
  return { destIndex: -1, guidMismatches: guidMismatches.reverse() };
}
