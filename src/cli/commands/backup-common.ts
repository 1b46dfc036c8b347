import { type BackupJob, resolveJobs } from '../../app/backup/job.js';
import type { BackupDeps } from '../../app/backup/ports.js';
import { backupDeps } from '../compose/btrfs.js';
import type { CommandEnv } from '../compose/env.js';

// The jobs a backup command names, and their dependencies; config problems are usage errors
// (exit 2, nothing done).
export async function jobsAndDeps(env: CommandEnv, names: readonly string[]): Promise<{ jobs: BackupJob[]; deps: BackupDeps }> {
  const file = await env.config();
  const jobs = resolveJobs(file, names); // a BackupConfigError is a usage error (exit 2)
  return { jobs, deps: backupDeps(await env.app()) };
}

// One lock per job for backup, prune, decay and setup-backup: two of them never touch the same
// backups directory at once (exit 3, or wait with --wait). Dry runs change nothing: no lock.
export async function lockJob(env: CommandEnv, job: BackupJob, wait?: string | boolean): Promise<void> {
  if (env.g.dryRun) return;
  await env.lock(`backup-${job.name}`, waitSeconds(wait));
}

function waitSeconds(w: string | boolean | undefined): number | undefined {
  if (w === undefined || w === false) return undefined;
  const n = Number(w);
  return w === true || !Number.isFinite(n) || n < 0 ? 24 * 3600 : n;
}
