import type { DatasetState, HostState } from '../host-state.js';
import { destNameFor, exclusionOf, findCommonBase } from '../replication/index.js';
import type { Snapshot } from '../snapshot.js';
import { type Lag, lagOf } from './lag.js';
import { createdOf, depthBelow, treeOrder } from './tree.js';

// One snapshot name as the two sides see it: same guid on both, one side only, or a name both
// have but with different guids (a different snapshot: never a base).
export interface SnapCompare {
  readonly name: string;
  readonly where: 'both' | 'source' | 'target' | 'differs';
  readonly created?: number;
}

export type PairState = 'up-to-date' | 'behind' | 'missing-on-target' | 'missing-on-source' | 'conflict' | 'no-snapshots' | 'excluded';

// What keeps a send from simply continuing (send reports the same, with the commands to fix it).
export interface PairConflict {
  readonly kind: 'guid-mismatch' | 'target-ahead' | 'no-common' | 'target-exists';
  readonly text: string;
  readonly names: readonly string[];
}

export interface ComparePair {
  readonly source: string;
  readonly dest: string;
  readonly depth: number;
  readonly state: PairState;
  readonly counts: {
    readonly source: number;
    readonly target: number;
    readonly common: number;
    readonly sourceOnly: number;
    readonly targetOnly: number;
    readonly differs: number;
  };
  readonly base?: string;
  readonly lag?: Lag;
  readonly conflicts: readonly PairConflict[];
  readonly excluded?: string; // the pattern
  readonly snapshots: readonly SnapCompare[];
}

export interface CompareInput {
  readonly source: { readonly root: string; readonly state: HostState };
  readonly dest: { readonly root: string; readonly state: HostState };
  readonly excludes: readonly string[];
  readonly nowMs: number;
}

// A source tree beside its destination tree: every dataset of either side, paired by name.
export function compareTrees(i: CompareInput): ComparePair[] {
  const { source, dest } = i;
  const names = new Map<string, string>(); // source name → dest name
  for (const d of source.state.datasets.keys())
    if (d === source.root || d.startsWith(`${source.root}/`)) names.set(d, destNameFor(d, source.root, dest.root));
  for (const d of dest.state.datasets.keys()) {
    if (d === dest.root || d.startsWith(`${dest.root}/`)) names.set(destNameFor(d, dest.root, source.root), d);
  }
  return [...names]
    .sort(([a], [b]) => treeOrder(a, b))
    .map(([s, d]) =>
      comparePair(
        s,
        d,
        source.state.datasets.get(s),
        dest.state.datasets.get(d),
        exclusionOf(s, source.root, i.excludes)?.pattern,
        depthBelow(s, source.root),
        i.nowMs,
      ),
    );
}

export function comparePair(
  source: string,
  dest: string,
  src: DatasetState | undefined,
  dst: DatasetState | undefined,
  excluded: string | undefined,
  depth: number,
  nowMs: number,
): ComparePair {
  const s = src?.snapshots ?? [];
  const t = dst?.snapshots ?? [];
  const snapshots = merge(s, t);
  const n = (w: SnapCompare['where']): number => snapshots.filter((x) => x.where === w).length;
  const counts = {
    source: s.length,
    target: t.length,
    common: n('both'),
    sourceOnly: n('source'),
    targetOnly: n('target'),
    differs: n('differs'),
  };
  const base = { source, dest, depth, counts, snapshots, ...(excluded ? { excluded } : {}) };
  if (excluded) return { ...base, state: 'excluded', conflicts: [] };
  if (!src) return { ...base, state: 'missing-on-source', conflicts: [] };
  const nowSec = Math.round(nowMs / 1000);
  if (!dst) return { ...base, state: 'missing-on-target', conflicts: [], lag: lagOf(s, undefined, nowSec) };
  const found = findCommonBase(s, t);
  const common = found.base ? s.find((x) => x.name === found.base!.name) : undefined;
  const conflicts = conflictsOf(snapshots, t, found.destIndex);
  const lag = lagOf(s, common, nowSec);
  const state = conflicts.length > 0 ? 'conflict' : s.length === 0 ? 'no-snapshots' : lag.behind === 0 ? 'up-to-date' : 'behind';
  return { ...base, state, conflicts, lag, ...(common ? { base: common.name } : {}) };
}

function conflictsOf(snaps: readonly SnapCompare[], target: readonly Snapshot[], baseIndex: number): PairConflict[] {
  const out: PairConflict[] = [];
  const differs = snaps.filter((x) => x.where === 'differs').map((x) => x.name);
  if (differs.length > 0) out.push({ kind: 'guid-mismatch', names: differs, text: `same name, different guid: ${list(differs)}` });
  if (target.length > 0 && baseIndex < 0)
    out.push({ kind: 'no-common', names: [], text: 'the target has snapshots but none in common with the source (same name and guid)' });
  const ahead = baseIndex >= 0 ? target.slice(baseIndex + 1).map((x) => x.name) : [];
  if (ahead.length > 0)
    out.push({
      kind: 'target-ahead',
      names: ahead,
      text: `the target has ${ahead.length} snapshot${ahead.length === 1 ? '' : 's'} newer than the common base: ${list(ahead)}`,
    });
  // As send sees it: a target without snapshots was not made by replication and is never overwritten.
  if (target.length === 0)
    out.push({
      kind: 'target-exists',
      names: [],
      text: 'the target exists but has no snapshots: send will not overwrite it (--force does)',
    });
  return out;
}

// Both sides' snapshots in one sequence: the source's in creation order, each target-only one
// right after the target snapshot before it (by the target's own order, never by clock times).
// Target-only runs are collected per anchor and laid out once: inserting each into the middle of
// the list was quadratic in the snapshots of a dataset.
function merge(source: readonly Snapshot[], target: readonly Snapshot[]): SnapCompare[] {
  const onTarget = new Map(target.map((x) => [x.name, x]));
  const firstOnSource = new Map<string, number>();
  source.forEach((x, i) => firstOnSource.has(x.name) || firstOnSource.set(x.name, i));
  // Per source row (-1: before the first), the runs of target-only rows that follow it; a later
  // run after the same row goes before the earlier ones.
  const runs = new Map<number, SnapCompare[][]>();
  let run: SnapCompare[] | undefined;
  let anchor = -1;
  for (const x of target) {
    const i = firstOnSource.get(x.name);
    if (i !== undefined) {
      anchor = i;
      run = undefined;
      continue;
    }
    if (!run) {
      run = [];
      const list = runs.get(anchor);
      if (list) list.unshift(run);
      else runs.set(anchor, [run]);
    }
    run.push({ name: x.name, where: 'target', ...created(x) });
  }
  const rows: SnapCompare[] = [];
  const after = (i: number): void => {
    for (const r of runs.get(i) ?? []) for (const row of r) rows.push(row);
  };
  after(-1);
  source.forEach((x, i) => {
    const t = onTarget.get(x.name);
    rows.push({ name: x.name, where: !t ? 'source' : t.guid === x.guid ? 'both' : 'differs', ...created(x) });
    after(i);
  });
  return rows;
}

const created = (x: Snapshot): { created?: number } => {
  const c = createdOf(x);
  return c === undefined ? {} : { created: c };
};

const list = (names: readonly string[]): string =>
  names.length > 4
    ? `${names
        .slice(0, 4)
        .map((n) => `@${n}`)
        .join(', ')}, … (${names.length})`
    : names.map((n) => `@${n}`).join(', ');
