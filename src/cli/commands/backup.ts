import type { Command } from 'commander';
import { LockHeldError } from '../../adapters/lock/flock.js';
import { type BackupReport, runBackup } from '../../app/backup.js';
import { runSetupBackup } from '../../app/backup-setup.js';
import { example, runs } from '../action.js';
import { EXIT } from '../exit-codes.js';
import type { ExitSink } from '../program.js';
import type { CommandEnv } from '../env.js';
import { jobsAndDeps, lockJob } from './backup-common.js';
import { backupJson } from './backup-render.js';

// `holdfast backup [NAME…]`: the cron job of [backup:NAME] sections (all of them without NAME).
export function registerBackup(program: Command, sink: ExitSink): void {
  program
    .command('backup [names...]')
    .description('rsync each [backup:NAME] source into its btrfs working copy, then freeze it as a read-only snapshot named by the time')
    .option('--wait [seconds]', 'wait for a running backup of the same NAME instead of exiting 3')
    .addHelpText('after', example(`
      0 * * * * root holdfast backup home >> /var/log/holdfast-backup.log 2>&1
      holdfast --dry-run backup home`))
    .action(runs<{ wait?: string | boolean }>(sink, (env, o, args) => backup(env, o, args)));
  program
    .command('setup-backup <names...>')
    .description('create the backups directory (a btrfs subvolume) and its working copy; whatever exists is left as it is')
    .addHelpText('after', example('holdfast setup-backup home'))
    .action(runs<object>(sink, (env, _o, args) => setup(env, args)));
}

async function backup(env: CommandEnv, o: { wait?: string | boolean }, names: string[]): Promise<number> {
  const { jobs, deps } = await jobsAndDeps(env, names);
  const started = deps.clock.nowMs();
  const reports: BackupReport[] = [];
  let locked: LockHeldError | undefined;
  for (const job of jobs) {
    try {
      await lockJob(env, job, o.wait);
    } catch (e) {
      if (!(e instanceof LockHeldError)) throw e;
      deps.log.error(`backup ${job.name}: ${e.message}`);
      locked ??= e;
      continue;
    }
    reports.push(await runBackup(deps, job));
  }
  if (env.g.json) env.out(`${JSON.stringify(backupJson(reports, deps.dryRun), null, 2)}\n`);
  else if (deps.dryRun) env.out(`${reports.flatMap((r) => [...r.commands, ...(r.decay?.commands ?? []), ...(r.prune?.commands ?? [])]).join('\n') || '# nothing to do'}\n`);
  const failed = reports.filter((r) => !r.ok).map((r) => r.job);
  const taken = reports.filter((r) => r.snapshot).length;
  const pruned = reports.reduce((n, r) => n + (r.prune?.deleted.length ?? 0) + (r.decay?.deleted.length ?? 0), 0);
  const secs = ((deps.clock.nowMs() - started) / 1000).toFixed(1);
  const summary = `backup: ${deps.dryRun ? 'would take' : 'took'} ${taken} of ${jobs.length}, ${deps.dryRun ? 'would delete' : 'deleted'} ${pruned} old in ${secs} s; ${failed.length} failed${failed.length ? `: ${failed.join(', ')}` : ''}`;
  if (failed.length > 0) deps.log.error(summary);
  else deps.log.info(summary);
  if (failed.length > 0) return EXIT.partial;
  if (locked) throw locked;
  return EXIT.ok;
}

async function setup(env: CommandEnv, names: string[]): Promise<number> {
  const { jobs, deps } = await jobsAndDeps(env, names);
  let ok = true;
  for (const job of jobs) {
    await lockJob(env, job);
    const r = await runSetupBackup(deps, job);
    for (const line of r.said) env.out(`setup-backup ${job.name}: ${line}\n`);
    ok &&= r.ok;
  }
  return ok ? EXIT.ok : EXIT.partial;
}
