import type { Command } from 'commander';
import { listJob } from '../../app/backup-list.js';
import { type RetentionKind, type RetentionRun, executeRetention, listBackups, planFor } from '../../app/backup-retention.js';
import { example, runs } from '../action.js';
import { EXIT } from '../exit-codes.js';
import type { ExitSink } from '../program.js';
import type { CommandEnv } from '../env.js';
import { jobsAndDeps, lockJob } from './backup-common.js';
import { renderListing, renderPlan, runJson } from './backup-render.js';

// `holdfast list [NAME…]`, `holdfast prune NAME…`, `holdfast decay NAME…`: the backups of
// [backup:NAME] sections, and snapshotbackup's two retention commands.
export function registerBackupRetention(program: Command, sink: ExitSink): void {
  program
    .command('list [names...]')
    .description('list the backups of [backup:NAME] sections: age, and what prune and decay would do with each, and why')
    .addHelpText('after', example('holdfast list home\nholdfast --json list | jq .'))
    .action(runs<object>(sink, (env, _o, args) => list(env, args)));
  program
    .command('prune <names...>')
    .description('delete backups that retain_all, retain_daily, the weeklies and "latest" do not keep (lists the plan first)')
    .option('--wait [seconds]', 'wait for a running backup of the same NAME instead of exiting 3')
    .addHelpText('after', example('holdfast --dry-run prune home\nholdfast prune home'))
    .action(runs<{ wait?: string | boolean }>(sink, (env, o, args) => retention(env, 'prune', args, o.wait)));
  program
    .command('decay <names...>')
    .description('delete backups older than decay, except the latest (lists the plan first)')
    .option('--wait [seconds]', 'wait for a running backup of the same NAME instead of exiting 3')
    .addHelpText('after', example('holdfast --dry-run decay home\nholdfast decay home'))
    .action(runs<{ wait?: string | boolean }>(sink, (env, o, args) => retention(env, 'decay', args, o.wait)));
}

async function list(env: CommandEnv, names: string[]): Promise<number> {
  const { jobs, deps } = await jobsAndDeps(env, names);
  const listings = [];
  for (const job of jobs) listings.push(await listJob(deps, job));
  if (env.g.json) env.out(`${JSON.stringify({ now: new Date(deps.clock.nowMs()).toISOString(), jobs: listings }, null, 2)}\n`);
  else env.out(listings.map(renderListing).join('\n'));
  return EXIT.ok;
}

// Plan, print the plan, then execute it (a confirmation step would sit between the two).
async function retention(env: CommandEnv, kind: RetentionKind, names: string[], wait?: string | boolean): Promise<number> {
  const { jobs, deps } = await jobsAndDeps(env, names);
  const runsDone: RetentionRun[] = [];
  for (const job of jobs) {
    await lockJob(env, job, wait);
    const plan = planFor(kind, job, await listBackups(deps, job), deps.clock.nowMs());
    if (!env.g.json) env.out(renderPlan(job.name, plan));
    const run = await executeRetention(deps, job, plan);
    runsDone.push(run);
    if (env.g.json) env.out(`${JSON.stringify(runJson(job.name, run, deps.dryRun), null, 2)}\n`);
    else if (deps.dryRun && run.commands.length > 0) env.out(`${run.commands.join('\n')}\n`);
    const failed = run.failures.length;
    const msg = `${kind} ${job.name}: ${deps.dryRun ? 'would delete' : 'deleted'} ${run.deleted.length}, kept ${plan.verdicts.length - plan.deletes.length}${failed ? `; ${failed} failed` : ''}`;
    if (failed) deps.log.error(msg);
    else deps.log.info(msg);
  }
  return runsDone.some((r) => r.failures.length > 0) ? EXIT.partial : EXIT.ok;
}
