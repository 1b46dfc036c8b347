// One row of `btrfs subvolume list -o -c -u -q -R -g [-r] DIR`: a subvolume below DIR's subvolume.
export interface SubvolumeRow {
  readonly id: number;
  readonly gen: number;
  readonly cgen: number; // the generation it was created in: creation order
  readonly topLevel: number;
  readonly parentUuid: string | undefined; // the subvolume it is a snapshot of
  readonly receivedUuid: string | undefined; // set by btrfs receive
  readonly uuid: string;
  readonly path: string; // relative to the filesystem's top-level subvolume
}

// otime is printed only for snapshots; the uuid columns are padded with spaces; the path is
// the rest of the line (it may hold spaces and any other character but a newline).
const ROW =
  /^ID (\d+) gen (\d+) cgen (\d+) top level (\d+)(?: otime \S+ \S+)? parent_uuid (\S+)\s+received_uuid (\S+)\s+uuid (\S+) path (.*)$/;

// Parse the listing; lines that are not rows (there are none in btrfs-progs 5-6) are skipped.
export function parseSubvolumeList(stdout: string): SubvolumeRow[] {
  const rows: SubvolumeRow[] = [];
  for (const line of stdout.split('\n')) {
    const m = ROW.exec(line);
    if (!m) continue;
    const opt = (s: string): string | undefined => (s === '-' ? undefined : s);
    rows.push({
      id: Number(m[1]),
      gen: Number(m[2]),
      cgen: Number(m[3]),
      topLevel: Number(m[4]),
      parentUuid: opt(m[5]!),
      receivedUuid: opt(m[6]!),
      uuid: m[7]!,
      path: m[8]!.replace(/^<FS_TREE>\//, ''),
    });
  }
  return rows;
}

// The rows that sit directly in the directory whose filesystem path is `fsDir` ("" for the
// top level), by name; deeper ones and ones elsewhere in the same subvolume are not.
export function rowsDirectlyIn(rows: readonly SubvolumeRow[], fsDir: string): Map<string, SubvolumeRow> {
  const prefix = fsDir === '' ? '' : `${fsDir}/`;
  const out = new Map<string, SubvolumeRow>();
  for (const r of rows) {
    if (!r.path.startsWith(prefix)) continue;
    const name = r.path.slice(prefix.length);
    if (name !== '' && !name.includes('/')) out.set(name, r);
  }
  return out;
}

// Creation order as one number: the creation generation, then the subvolume id within one
// generation (several snapshots of one run usually share a transaction). Honest and monotonic
// for the life of the filesystem; fits a double for 9·10^9 generations.
export function creationOrder(row: Pick<SubvolumeRow, 'cgen' | 'id'>, rankInGen: number): number {
  return row.cgen * 1_000_000 + rankInGen;
}

// Rows oldest first, each with its creation order.
export function inCreationOrder<R extends Pick<SubvolumeRow, 'cgen' | 'id'>>(rows: readonly R[]): { row: R; order: number }[] {
  const sorted = [...rows].sort((a, b) => a.cgen - b.cgen || a.id - b.id);
  let rank = 0;
  return sorted.map((row, i) => {
    rank = i > 0 && sorted[i - 1]!.cgen === row.cgen ? rank + 1 : 0;
    return { row, order: creationOrder(row, rank) };
  });
}
