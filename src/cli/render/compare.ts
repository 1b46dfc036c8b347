import type { CompareView } from '../../app/views/compare.js';
import type { ComparePair, PairState, SnapCompare } from '../../domain/views/compare.js';
import { ageText } from '../../domain/units.js';
import { type Style, table } from './tree-style.js';

const HEAD = ['DATASET', 'STATE', 'SOURCE', 'TARGET', 'COMMON', 'SRC-ONLY', 'TGT-ONLY', 'LAG', 'BASE'];
const RIGHT = new Set([2, 3, 4, 5, 6, 7]);
const STATE_TEXT: Record<PairState, string> = {
  'up-to-date': 'up to date',
  behind: 'behind',
  'missing-on-target': 'missing on target',
  'missing-on-source': 'missing on source',
  conflict: 'CONFLICT',
  'no-snapshots': 'no snapshots',
  excluded: 'excluded',
};
const MARK: Record<SnapCompare['where'], string> = { both: '=', source: '>', target: '<', differs: '!' };

// `holdfast compare`: per source/destination pair a title, one row per dataset, conflicts
// spelled out under their dataset, and with --snapshots every snapshot with its side.
export function renderCompare(views: readonly CompareView[], st: Style, snapshots: boolean): string {
  const out: string[] = [];
  if (snapshots) out.push(st.dim('snapshots: = on both (same guid)  > source only  < target only  ! same name, different guid'), '');
  for (const v of views) {
    if (out.length > 0 && out[out.length - 1] !== '') out.push('');
    out.push(st.bold(`${v.source} -> ${v.dest}`));
    if (v.problem) {
      out.push(`  ${st.red(v.problem)}`);
      continue;
    }
    const rows: string[][] = [HEAD.map((h) => st.dim(h))];
    const notes = new Map<number, string[]>();
    for (const p of v.pairs) {
      rows.push(cells(p, st));
      const extra = [
        ...p.conflicts.map((c) => `  ${st.red(`conflict: ${c.text}`)}`),
        ...(snapshots ? p.snapshots.map((s) => `    ${mark(s, st)} ${s.name}`) : []),
      ];
      if (extra.length > 0)
        notes.set(
          rows.length - 1,
          extra.map((l) => `${'  '.repeat(p.depth)}${l}`),
        );
    }
    table(rows, RIGHT).forEach((line, i) => out.push(line, ...(notes.get(i) ?? [])));
  }
  return `${out.join('\n')}\n`;
}

function cells(p: ComparePair, st: Style): string[] {
  const name = p.depth === 0 ? st.bold(p.source) : `${'  '.repeat(p.depth)}${p.source.slice(p.source.lastIndexOf('/') + 1)}`;
  const hasS = p.state !== 'missing-on-source';
  const hasT = p.state !== 'missing-on-target';
  const n = (v: number, present: boolean): string => (!present ? st.dim('-') : String(v));
  const lag = p.lag && p.state !== 'excluded' ? ageText(p.lag.sec) : st.dim('-');
  return [
    name,
    stateText(p.state, st),
    n(p.counts.source, hasS),
    n(p.counts.target, hasT),
    n(p.counts.common, hasS && hasT),
    n(p.counts.sourceOnly + p.counts.differs, hasS),
    n(p.counts.targetOnly, hasT),
    lag,
    p.base ?? st.dim('-'),
  ];
}

function stateText(s: PairState, st: Style): string {
  const t = STATE_TEXT[s];
  if (s === 'up-to-date') return st.green(t);
  if (s === 'behind') return st.yellow(t);
  if (s === 'conflict') return st.bold(st.red(t));
  if (s === 'missing-on-target' || s === 'missing-on-source') return st.red(t);
  return st.dim(t);
}

function mark(s: SnapCompare, st: Style): string {
  const m = MARK[s.where];
  return s.where === 'both' ? st.green(m) : s.where === 'differs' ? st.red(m) : st.yellow(m);
}

// --json: the views as data (ages in seconds).
export function compareJson(views: readonly CompareView[]): unknown {
  return {
    pairs: views.map((v) => ({
      source: v.source,
      dest: v.dest,
      section: v.job.section?.name ?? null,
      problem: v.problem ?? null,
      datasets: v.pairs.map((p) => ({
        source: p.source,
        dest: p.dest,
        state: p.state,
        counts: p.counts,
        base: p.base ?? null,
        lag: p.lag
          ? {
              sec: Number.isFinite(p.lag.sec) ? p.lag.sec : null,
              behind: p.lag.behind,
              oldestMissing: p.lag.oldestMissing ?? null,
              newestMissing: p.lag.newestMissing ?? null,
            }
          : null,
        conflicts: p.conflicts,
        excluded: p.excluded ?? null,
        snapshots: p.snapshots.map((s) => ({ name: s.name, where: s.where })),
      })),
    })),
  };
}
