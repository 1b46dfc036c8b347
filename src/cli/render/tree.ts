import type { TreeView } from '../../app/views/tree.js';
import { COUNT_KEYS, type TreeRow } from '../../domain/views/tree.js';
import { ageText, zfsBytesText } from '../../domain/units.js';
import { type Style, table } from './tree-style.js';

const HEAD = ['DATASET', 'SNAPS', 'FREQ', 'HOUR', 'DAY', 'WEEK', 'MONTH', 'YEAR', 'OTHER', 'NEWEST', 'USED', 'REFER', 'RATIO'];
const RIGHT = new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);

// `holdfast tree`: per tree a title line, then one row per dataset (children indented).
export function renderTrees(views: readonly TreeView[], st: Style): string {
  const out: string[] = [];
  for (const v of views) {
    if (out.length > 0) out.push('');
    const role = v.target.role === 'given' ? '' : ` (${v.target.role}${v.target.section ? `, [${v.target.section}]` : ''})`;
    out.push(`${st.bold(v.label)}${st.dim(role)}`);
    if (v.problem) {
      out.push(`  ${st.red(v.problem)}`);
      continue;
    }
    out.push(...table([HEAD.map((h) => st.dim(h)), ...v.rows.map((r) => cells(r, st))], RIGHT));
  }
  return `${out.join('\n')}\n`;
}

function cells(r: TreeRow, st: Style): string[] {
  const name = r.depth === 0 ? st.bold(r.dataset) : `${'  '.repeat(r.depth)}${r.dataset.slice(r.dataset.lastIndexOf('/') + 1)}`;
  const n = (v: number): string => (v === 0 ? st.dim('-') : String(v));
  const age = r.ageSec === undefined ? st.dim('-') : st.cyan(ageText(r.ageSec));
  const size = (v: number | undefined): string => (v === undefined ? '-' : zfsBytesText(v));
  const ratio = r.compressratio === undefined ? '-' : `${r.compressratio.toFixed(2)}x`;
  return [name, n(r.snapshots), ...COUNT_KEYS.map((k) => n(r.counts[k])), age, size(r.used), size(r.referenced), ratio];
}

// --json: the same data, ages in seconds, sizes in bytes.
export function treesJson(views: readonly TreeView[]): unknown {
  return {
    trees: views.map((v) => ({
      label: v.label,
      role: v.target.role,
      section: v.target.section ?? null,
      problem: v.problem ?? null,
      datasets: v.rows.map((r) => ({
        dataset: r.dataset,
        depth: r.depth,
        snapshots: r.snapshots,
        counts: r.counts,
        newest: r.newest ? { name: r.newest.name, created: r.newest.created ?? null, ageSec: r.ageSec ?? null } : null,
        used: r.used ?? null,
        referenced: r.referenced ?? null,
        compressratio: r.compressratio ?? null,
      })),
    })),
  };
}
