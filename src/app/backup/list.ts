import type { BackupVerdict } from '../../domain/backup/retention-plan.js';
import type { BackupDeps, PathKind } from './ports.js';
import type { BackupJob } from './job.js';
import { listBackups, planFor } from './retention.js';

// One backup as `holdfast list` shows it: its age and what prune and decay would do, and why.
export interface BackupRow {
  readonly name: string;
  readonly timeMs: number;
  readonly ageMs: number;
  readonly prune: BackupVerdict;
  readonly decay: BackupVerdict;
}

export interface JobListing {
  readonly job: string;
  readonly backups: string;
  readonly rows: readonly BackupRow[]; // oldest first
  readonly others: readonly string[]; // read-only subvolumes that are not backups (left alone)
  readonly workdir: PathKind;
}

// `holdfast list NAME`: read-only; the same plans prune and decay would execute now.
export async function listJob(deps: BackupDeps, job: BackupJob): Promise<JobListing> {
  const nowMs = deps.clock.nowMs();
  const listing = await listBackups(deps, job);
  const prune = new Map(planFor('prune', job, listing, nowMs).verdicts.map((v) => [v.name, v]));
  const decay = new Map(planFor('decay', job, listing, nowMs).verdicts.map((v) => [v.name, v]));
  const rows = [...prune.values()].map((p) => ({
    name: p.name,
    timeMs: p.timeMs,
    ageMs: nowMs - p.timeMs,
    prune: p,
    decay: decay.get(p.name)!,
  }));
  return { job: job.name, backups: job.backups, rows, others: listing.others, workdir: await deps.store.kindOf(job.workdir) };
}
