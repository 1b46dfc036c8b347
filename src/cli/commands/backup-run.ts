import { type BackupReport, runBackup } from '../../app/backup/run.js';
import { runSetupBackup } from '../../app/backup/setup.js';
import type { Body } from '../action.js';
import { EXIT, RunLockedError } from '../exit-codes.js';
import { jobsAndDeps, lockJob } from './backup-common.js';
import { backupJson } from './backup-render.js';

// The options of the command, as commander gives them (they are defined in backup.ts).
export interface BackupFlags {
  wait?: string | boolean;
}

// The bodies of `holdfast backup` and `holdfast setup-backup` (registered in backup.ts).
export const backupBody: Body<BackupFlags> = async (env, o, names) => {
  const { jobs, deps } = await jobsAndDeps(env, names);
  const started = deps.clock.nowMs();
  const reports: BackupReport[] = [];
  let locked: RunLockedError | undefined;
  for (const job of jobs) {
    try {
      await lockJob(env, job, o.wait);
    } catch (e) {
      if (!(e instanceof RunLockedError)) throw e;
      deps.log.event({ kind: 'failed', stage: 'backup', target: job.name, message: e.message });
      locked ??= e;
      continue;
    }
    reports.push(await runBackup(deps, job));
  }
  if (env.g.json) env.out(`${JSON.stringify(backupJson(reports, deps.dryRun), null, 2)}\n`);
  else if (deps.dryRun)
    env.out(
      `${reports.flatMap((r) => [...r.commands, ...(r.decay?.commands ?? []), ...(r.prune?.commands ?? [])]).join('\n') || '# nothing to do'}\n`,
    );
  const failed = reports.filter((r) => !r.ok).map((r) => r.job);
  const taken = reports.filter((r) => r.snapshot).length;
  const pruned = reports.reduce((n, r) => n + (r.prune?.deleted.length ?? 0) + (r.decay?.deleted.length ?? 0), 0);
  const ms = deps.clock.nowMs() - started;
  deps.log.event({ kind: 'backup-summary', dryRun: deps.dryRun, taken, jobs: jobs.length, deleted: pruned, ms, failed });
  if (failed.length > 0) return EXIT.partial;
  if (locked) throw locked;
  return EXIT.ok;
};

export const setupBackupBody: Body<object> = async (env, _o, names) => {
  const { jobs, deps } = await jobsAndDeps(env, names);
  let ok = true;
  for (const job of jobs) {
    await lockJob(env, job);
    const r = await runSetupBackup(deps, job);
    for (const line of r.said) env.out(`setup-backup ${job.name}: ${line}\n`);
    ok &&= r.ok;
  }
  return ok ? EXIT.ok : EXIT.partial;
};
