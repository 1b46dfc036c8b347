import { listJob } from '../../app/backup/list.js';
import { type RetentionKind, type RetentionRun, executeRetention, listBackups, planFor } from '../../app/backup/retention.js';
import type { Body } from '../action.js';
import type { CommandEnv } from '../compose/env.js';
import { EXIT } from '../exit-codes.js';
import { jobsAndDeps, lockJob } from './backup-common.js';
import { renderListing, renderPlan, runJson } from './backup-render.js';

// The options of the command, as commander gives them (they are defined in backup-retention.ts).
export interface RetentionFlags {
  wait?: string | boolean;
}

// The bodies of `holdfast list`, `holdfast prune` and `holdfast decay` (registered in
// backup-retention.ts).
export const listBody: Body<object> = (env, _o, names) => list(env, names);
export const pruneBody: Body<RetentionFlags> = (env, o, names) => retention(env, 'prune', names, o.wait);
export const decayBody: Body<RetentionFlags> = (env, o, names) => retention(env, 'decay', names, o.wait);

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
    const kept = plan.verdicts.length - plan.deletes.length;
    deps.log.event({
      kind: 'retention-summary',
      job: job.name,
      rule: kind,
      dryRun: deps.dryRun,
      deleted: run.deleted.length,
      kept,
      failures: run.failures.length,
    });
  }
  return runsDone.some((r) => r.failures.length > 0) ? EXIT.partial : EXIT.ok;
}
