import type { BackupReport } from '../../app/backup/run.js';
import type { JobListing } from '../../app/backup/list.js';
import type { RetentionRun } from '../../app/backup/retention.js';
import type { RetentionPlan } from '../../domain/backup/retention-plan.js';
import { roughAgeText } from '../../domain/units.js';

// `holdfast list`: per backup its age, what prune and decay would do, and the rule why.
export function renderListing(l: JobListing): string {
  const out = [
    `backup:${l.job}  ${l.backups}  (${l.rows.length} backup${l.rows.length === 1 ? '' : 's'}; working copy .sync: ${l.workdir})`,
  ];
  if (l.rows.length > 0) out.push(`  ${'NAME'.padEnd(26)} ${'AGE'.padEnd(7)} ${'PRUNE'.padEnd(6)} ${'DECAY'.padEnd(6)} WHY`);
  for (const r of l.rows) {
    const why = [...r.prune.reasons, ...(r.decay.keep ? [] : r.decay.reasons)].join('; ');
    out.push(
      `  ${r.name.padEnd(26)} ${roughAgeText(r.ageMs / 1000).padEnd(7)} ${(r.prune.keep ? 'keep' : 'prune').padEnd(6)} ${(r.decay.keep ? 'keep' : 'decay').padEnd(6)} ${why}`,
    );
  }
  for (const o of l.others) out.push(`  ${o.padEnd(26)} ${''.padEnd(7)} ${'-'.padEnd(6)} ${'-'.padEnd(6)} not a backup name: left alone`);
  return `${out.join('\n')}\n`;
}

// prune/decay: the actions first (deletions, then what stays and why), before anything runs.
export function renderPlan(job: string, plan: RetentionPlan): string {
  const del = plan.verdicts.filter((v) => !v.keep);
  const keep = plan.verdicts.filter((v) => v.keep);
  const out = [`${plan.kind} ${job}: ${del.length} to delete, ${keep.length} to keep`];
  for (const v of del) out.push(`  delete ${v.name}  (${v.reasons.join('; ')})`);
  for (const v of keep) out.push(`  keep   ${v.name}  (${v.reasons.join('; ')})`);
  return `${out.join('\n')}\n`;
}

export function runJson(job: string, run: RetentionRun, dryRun: boolean): unknown {
  return {
    job,
    kind: run.plan.kind,
    dryRun,
    now: new Date(run.plan.nowMs).toISOString(),
    verdicts: run.plan.verdicts,
    commands: run.commands,
    deleted: run.deleted,
    failures: run.failures,
  };
}

export function backupJson(reports: readonly BackupReport[], dryRun: boolean): unknown {
  return {
    dryRun,
    backups: reports.map((r) => ({
      job: r.job,
      ok: r.ok,
      snapshot: r.snapshot ?? null,
      warning: r.warning ?? null,
      stats: r.stats ?? null,
      commands: r.commands,
      failures: r.failures,
      decay: r.decay ? runJson(r.job, r.decay, dryRun) : null,
      prune: r.prune ? runJson(r.job, r.prune, dryRun) : null,
    })),
  };
}
