import { type BtrfsSendResult, btrfsSendJobs, runBtrfsSendJob } from '../../app/btrfs/send.js';
import type { Body } from '../action.js';
import { btrfsSendDeps } from '../compose/btrfs.js';
import type { CommandEnv } from '../compose/env.js';
import { EXIT } from '../exit-codes.js';
import { sshSettingsFrom } from '../compose/ssh.js';

// The options of the command, as commander gives them (they are defined in btrfs-send.ts).
export interface BtrfsSendFlags {
  wait?: string | boolean;
}

// The body of `holdfast btrfs-send` (registered in btrfs-send.ts).
export const btrfsSendBody: Body<BtrfsSendFlags> = (env, o) => btrfsSend(env, o.wait);

async function btrfsSend(env: CommandEnv, wait: string | boolean | undefined): Promise<number> {
  const file = await env.config();
  const { jobs, problems } = btrfsSendJobs(file);
  if (!env.g.dryRun)
    await env.lock(
      'btrfs-send',
      wait === undefined || wait === false ? undefined : Number.isFinite(Number(wait)) ? Number(wait) : 24 * 3600,
    );
  const composed = await env.app(sshSettingsFrom(file, { keys: jobs.map((j) => [j.dest.endpoint, j.identity] as const) }));
  const deps = btrfsSendDeps(composed, file);
  const started = deps.clock.nowMs();
  for (const p of problems) deps.log.event({ kind: 'failed', stage: 'btrfs-send', target: p.target, message: p.message });
  const results: BtrfsSendResult[] = [];
  for (const job of jobs) results.push(await runBtrfsSendJob(deps, job));
  if (env.g.json)
    env.out(
      `${JSON.stringify({ dryRun: deps.dryRun, results: results.map((r) => ({ section: r.job.section, dest: r.job.dest, plan: r.plan ?? null, commands: r.commands, sent: r.sent, failure: r.failure ?? null })), problems }, null, 2)}\n`,
    );
  else if (deps.dryRun) env.out(`${results.flatMap((r) => r.commands).join('\n') || '# nothing to do'}\n`);
  const failed = [...problems.map((p) => p.target), ...results.flatMap((r) => (r.failure ? [r.failure.target] : []))];
  const sent = results.reduce((n, r) => n + (deps.dryRun ? (r.plan?.kind === 'send' ? r.plan.steps.length : 0) : r.sent.length), 0);
  const ms = deps.clock.nowMs() - started;
  deps.log.event({ kind: 'btrfs-send-summary', dryRun: deps.dryRun, sent, destinations: jobs.length, ms, failed });
  // What notify_url / notify_command hear about this run (btrfs-send runs from cron, as send does).
  env.outcome = {
    command: 'btrfs-send',
    counts: { sent, destinations: jobs.length },
    failures: [...problems, ...results.flatMap((r) => (r.failure ? [r.failure] : []))],
  };
  return failed.length > 0 ? EXIT.partial : EXIT.ok;
}
