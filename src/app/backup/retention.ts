import { posix } from 'node:path';
import type { BackupEntry } from '../../domain/backup/entry.js';
import { parseBackupName } from '../../domain/backup/name.js';
import { type RetentionPlan, planDecay, planPrune } from '../../domain/backup/retention-plan.js';
import type { BackupDeps, FrozenSubvolume } from './ports.js';
import type { BackupJob } from './job.js';
import type { Failure } from '../failures.js';

// The finished backups of a job, and read-only subvolumes in its directory that are not
// backups (never counted, pruned or decayed; `list` shows them).
export interface BackupListing {
  readonly entries: readonly BackupEntry[];
  readonly others: readonly string[];
}

export function toListing(frozen: readonly FrozenSubvolume[]): BackupListing {
  const entries: BackupEntry[] = [];
  const others: string[] = [];
  for (const f of frozen) {
    const timeMs = parseBackupName(f.name);
    if (timeMs === undefined) others.push(f.name);
    else entries.push({ name: f.name, timeMs, order: f.order });
  }
  return { entries, others };
}

export async function listBackups(deps: BackupDeps, job: BackupJob): Promise<BackupListing> {
  return toListing(await deps.store.listFrozen(job.backups));
}

export type RetentionKind = RetentionPlan['kind'];

// Plan a prune or a decay of one job at the clock's now (pure planners, listed state).
export function planFor(kind: RetentionKind, job: BackupJob, listing: BackupListing, nowMs: number): RetentionPlan {
  return kind === 'prune' ? planPrune(listing.entries, job.retention, nowMs) : planDecay(listing.entries, job.retention, nowMs);
}

// What executing a plan did (or, in a dry run, would do).
export interface RetentionRun {
  readonly plan: RetentionPlan;
  readonly commands: readonly string[];
  readonly deleted: readonly string[];
  readonly failures: readonly Failure[];
}

// Delete what the plan says, in one `btrfs subvolume delete`; each deletion is logged with its
// reason. Under --dry-run nothing runs and the plan's deletions are reported as would-be.
export async function executeRetention(deps: BackupDeps, job: BackupJob, plan: RetentionPlan): Promise<RetentionRun> {
  const paths = plan.deletes.map((n) => posix.join(job.backups, n));
  const commands = paths.length > 0 ? [deps.printable(deps.store.argv.delete(paths))] : [];
  if (deps.dryRun || paths.length === 0) return { plan, commands, deleted: deps.dryRun ? plan.deletes : [], failures: [] };
  const r = await deps.store.delete(paths);
  const why = new Map(plan.verdicts.map((v) => [posix.join(job.backups, v.name), v.reasons.join('; ')]));
  for (const p of r.ok)
    deps.log.event({ kind: 'backup-deleted', job: job.name, rule: plan.kind, backup: posix.basename(p), why: why.get(p)! });
  const failures = r.failed.map((f) => ({ target: `${job.name}/${posix.basename(f.target)}`, stage: plan.kind, message: f.error.message }));
  for (const f of failures) deps.log.event({ kind: 'failed', ...f });
  return { plan, commands, deleted: r.ok.map((p) => posix.basename(p)), failures };
}
