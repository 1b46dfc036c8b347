import type { CleanupRun } from '../../app/views/cleanup.js';
import type { Style } from './tree-style.js';

// The cleanup plan, before anything is destroyed: per dataset what goes (and with --explain
// what stays, and why), then the exact commands.
export function renderCleanup(run: CleanupRun, st: Style, explain: boolean): string {
  const out = [
    `cleanup [${run.section}]: destinations ${run.dests.length ? run.dests.join(', ') : '(none)'}; keep the newest ${run.keep} present everywhere`,
  ];
  for (const d of run.plan.datasets) {
    const shown = d.verdicts.filter((v) => explain || !v.keep);
    if (shown.length === 0) continue;
    out.push(st.bold(d.dataset));
    for (const v of shown)
      out.push(`  ${v.keep ? st.green('keep   ') : st.red('destroy')} ${v.item.name}  ${st.dim(`(${v.reasons.join('; ')})`)}`);
  }
  const count = run.plan.batches.reduce((n, b) => n + b.covers.length, 0);
  if (count === 0) out.push('nothing to destroy');
  else out.push(`${count} snapshot${count === 1 ? '' : 's'} to destroy:`, ...run.commands.map((c) => `  ${c}`));
  return `${out.join('\n')}\n`;
}

export function cleanupJson(run: CleanupRun): unknown {
  return {
    section: run.section,
    keep: run.keep,
    destinations: run.dests,
    commands: run.commands,
    datasets: run.plan.datasets.map((d) => ({
      dataset: d.dataset,
      snapshots: d.verdicts.map((v) => ({ name: v.item.name, keep: v.keep, reasons: v.reasons })),
    })),
  };
}
