import { posix } from 'node:path';
import { formatBackupName } from '../../domain/backup/name.js';
import { byTime } from '../../domain/backup/entry.js';
import { sourceLabel } from '../../domain/backup/source.js';
import type { BackupDeps, SyncRequest, SyncStats } from './ports.js';
import type { BackupJob } from './job.js';
import { type BackupListing, type RetentionRun, executeRetention, listBackups, planFor } from './retention.js';
import { type Failure, messageOf } from '../failures.js';
import { within } from '../activity.js';

// What one `holdfast backup NAME` did (or would do under --dry-run).
export interface BackupReport {
  readonly job: string;
  readonly ok: boolean;
  readonly snapshot?: string; // the name of the new read-only backup
  readonly warning?: string;
  readonly stats?: SyncStats;
  readonly commands: readonly string[];
  readonly failures: readonly Failure[];
  readonly decay?: RetentionRun;
  readonly prune?: RetentionRun;
}

// `holdfast backup NAME`: rsync the source into the working subvolume, then freeze it as a
// read-only snapshot named by the time. The snapshot is taken only after rsync exits 0 (or 24,
// vanished files, as a warning), so an interrupted copy never looks like a backup; autodecay
// and autoprune run only after a backup was taken.
export async function runBackup(deps: BackupDeps, job: BackupJob): Promise<BackupReport> {
  const commands: string[] = [];
  const fail = (stage: string, message: string): BackupReport => {
    deps.log.event({ kind: 'backup-failed', job: job.name, stage, message });
    return { job: job.name, ok: false, commands, failures: [{ target: job.name, stage, message }] };
  };
  const problem = await backupsDirProblem(deps, job);
  if (problem) return fail('target', problem);
  let listing: BackupListing;
  try {
    listing = await listBackups(deps, job);
    await ensureWorkdir(deps, job, listing, commands);
  } catch (e) {
    return fail('workdir', messageOf(e));
  }
  const req: SyncRequest = {
    source: job.source,
    target: job.workdir,
    excludes: job.excludes,
    checksum: job.checksum,
    extra: job.rsyncOptions,
    sshOptions: job.sshOptions,
    dryRun: deps.dryRun,
    ...(job.identity ? { identity: job.identity } : {}),
  };
  commands.push(deps.printable(deps.syncer.argv(req)));
  const copying = {
    what: `backup ${job.name} (rsync ${sourceLabel(job.source)} → ${job.workdir})`,
    next: `no backup was taken of the partial copy: the next run copies the rest into ${job.workdir} and takes it`,
  };
  const copied = await within(deps.during, copying, () => deps.syncer.sync(req));
  if (copied.kind === 'failed') return fail('rsync', copied.error.message);
  if (copied.kind === 'vanished') deps.log.event({ kind: 'backup-vanished', job: job.name, message: copied.warning });
  const nowMs = deps.clock.nowMs();
  const name = formatBackupName(nowMs, job.retention.zone);
  const target = posix.join(job.backups, name);
  commands.push(deps.printable(deps.store.argv.snapshot(job.workdir, target, true)));
  if (!deps.dryRun) {
    try {
      await deps.store.snapshot(job.workdir, target, true);
    } catch (e) {
      return fail('snapshot', messageOf(e));
    }
  }
  deps.log.event({
    kind: 'backup-taken',
    job: job.name,
    backup: name,
    source: sourceLabel(job.source),
    dryRun: deps.dryRun,
    ms: copied.ms,
    ...(copied.stats.files !== undefined ? { files: copied.stats.files, bytes: copied.stats.bytes ?? 0 } : {}),
  });
  const taken = { name, timeMs: nowMs, order: Math.max(0, ...listing.entries.map((e) => e.order)) + 1 };
  const after = { ...listing, entries: [...listing.entries, taken] };
  const auto = await autoRetention(deps, job, deps.dryRun ? after : await listBackups(deps, job), nowMs);
  const failures = [...(auto.decay?.failures ?? []), ...(auto.prune?.failures ?? [])];
  return {
    job: job.name,
    ok: failures.length === 0,
    snapshot: name,
    stats: copied.stats,
    commands,
    failures,
    ...auto,
    ...(copied.kind === 'vanished' ? { warning: copied.warning } : {}),
  };
}

// autodecay, then autoprune (snapshotbackup's order), each planned on what the previous left.
async function autoRetention(
  deps: BackupDeps,
  job: BackupJob,
  listing: BackupListing,
  nowMs: number,
): Promise<{ decay?: RetentionRun; prune?: RetentionRun }> {
  const out: { decay?: RetentionRun; prune?: RetentionRun } = {};
  let current = listing;
  for (const kind of ['decay', 'prune'] as const) {
    if (!(kind === 'decay' ? job.autodecay : job.autoprune)) continue;
    const run = await executeRetention(deps, job, planFor(kind, job, current, nowMs));
    const gone = new Set(run.deleted);
    current = { ...current, entries: current.entries.filter((e) => !gone.has(e.name)) };
    out[kind] = run;
  }
  return out;
}

// Why the backups directory cannot take a backup, or undefined when it can.
export async function backupsDirProblem(deps: BackupDeps, job: BackupJob): Promise<string | undefined> {
  const kind = await deps.store.kindOf(job.backups);
  if (kind === 'missing')
    return `the backups directory ${job.backups} does not exist; create it with \`holdfast setup-backup ${job.name}\``;
  if (kind === 'other') return `${job.backups} is not a directory`;
  const fs = await deps.store.fsTypeOf(job.backups);
  return fs === 'btrfs' ? undefined : `${job.backups} is on ${fs ?? 'an unknown filesystem'}, not btrfs; backups need btrfs snapshots`;
}

// The working subvolume rsync writes into. When it is missing, it starts as a writable snapshot
// of the latest backup (rsync then sends only the changes), or as a new subvolume.
export async function ensureWorkdir(
  deps: BackupDeps,
  job: BackupJob,
  listing: BackupListing,
  commands: string[],
): Promise<string | undefined> {
  const kind = await deps.store.kindOf(job.workdir);
  if (kind === 'subvolume') return undefined;
  if (kind !== 'missing') throw new Error(`${job.workdir} exists but is not a btrfs subvolume; move it away`);
  const latest = [...listing.entries].sort(byTime).at(-1);
  const from = latest ? posix.join(job.backups, latest.name) : undefined;
  commands.push(deps.printable(from ? deps.store.argv.snapshot(from, job.workdir, false) : deps.store.argv.create(job.workdir)));
  if (!deps.dryRun) {
    if (from) await deps.store.snapshot(from, job.workdir, false);
    else await deps.store.createSubvolume(job.workdir);
  }
  deps.log.event({
    kind: 'workdir-created',
    job: job.name,
    workdir: job.workdir,
    ...(from ? { from: latest!.name } : {}),
    dryRun: deps.dryRun,
  });
  return from ? `a writable snapshot of ${latest!.name}` : 'an empty subvolume';
}
