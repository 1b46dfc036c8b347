import type { Command } from 'commander';
import { runSnap } from '../../app/snap.js';
import { example, runs } from '../action.js';
import { EXIT, UsageError } from '../exit-codes.js';
import type { ExitSink } from '../program.js';
import { renderCommands, renderExplain, snapReportJson } from '../render/snap.js';
import { sshSettingsFrom } from '../ssh-settings.js';
import type { CommandEnv } from '../env.js';
import { exitCodeOfError, writeRunTextfile } from '../render/monitor-textfile.js';
import { systemClock } from '../../infra/clock.js';

interface SnapFlags {
  take?: boolean;
  clean?: boolean;
  full?: boolean;
  explain?: boolean;
  wait?: string | boolean;
  prometheus?: string;
}

// `holdfast snap`: the cron job. `holdfast plan` is `snap --dry-run --explain`.
export function registerSnap(program: Command, sink: ExitSink): void {
  program
    .command('snap')
    .description('take the snapshots that are due, then destroy the ones beyond the counts (both by default)')
    .option('--take', 'only take snapshots')
    .option('--clean', 'only destroy old snapshots')
    .option('--full', 'take, then clean (the default)')
    .option('--explain', 'show per dataset what is taken, kept and destroyed, and why')
    .option('--wait [seconds]', 'wait for a running snap to finish instead of exiting 3')
    .option('--prometheus <file>', "write this run's metrics to a node_exporter textfile (atomically)")
    .addHelpText('after', example(`
      holdfast setup --cron      # writes /etc/cron.d/holdfast (PATH set, snap every 15 minutes)
      holdfast snap --dry-run --explain`))
    .action(runs<SnapFlags>(sink, (env, o) => snap(env, o, false)));
  program
    .command('plan')
    .description('show what the next snap would take, keep and destroy, and why (changes nothing)')
    .addHelpText('after', example('holdfast plan\nholdfast --json plan | jq .'))
    .action(runs<SnapFlags>(sink, (env) => snap(env, { explain: true }, true)));
}

// The run, then (with --prometheus) its metrics, also when it stopped on an error.
async function snap(env: CommandEnv, o: SnapFlags, forcePlan: boolean): Promise<number> {
  if (!o.prometheus || env.g.dryRun || forcePlan) return snapRun(env, o, forcePlan);
  let code: number | undefined;
  try {
    return (code = await snapRun(env, o, forcePlan));
  } catch (e) {
    code = exitCodeOfError(e);
    throw e;
  } finally {
    writeRunTextfile(o.prometheus, { command: 'snap', outcome: env.outcome, startedMs: env.startedMs, endedMs: systemClock.nowMs(), exitCode: code ?? 70 }, (m) => env.err(`holdfast: ${m}\n`));
  }
}

async function snapRun(env: CommandEnv, o: SnapFlags, forcePlan: boolean): Promise<number> {
  const dryRun = env.g.dryRun || forcePlan;
  const file = await env.config();
  const both = o.full || (!o.take && !o.clean);
  if (!dryRun) await env.lock('snap', waitSeconds(o.wait));
  const { ctx, runner } = await env.app(sshSettingsFrom(file));
  const started = ctx.clock.nowMs();
  const report = await runSnap({ ...ctx, dryRun }, file, { take: both || Boolean(o.take), clean: both || Boolean(o.clean) });
  if (env.g.json) env.out(`${JSON.stringify(snapReportJson(report, dryRun), null, 2)}\n`);
  else {
    if (dryRun) env.out(renderCommands(report));
    if (o.explain) env.out(renderExplain(report));
  }
  const taken = report.hosts.reduce((n, h) => n + h.taken, 0);
  const destroyed = report.hosts.reduce((n, h) => n + h.destroyed, 0);
  const datasets = report.hosts.reduce((n, h) => n + h.policies.size, 0);
  const unchanged = report.hosts.reduce((n, h) => n + (h.unchanged ?? 0), 0);
  const secs = ((ctx.clock.nowMs() - started) / 1000).toFixed(1);
  const verb = dryRun ? 'would take' : 'took';
  const calls = (runner.spawned.get('zfs') ?? 0) + (runner.spawned.get('btrfs') ?? 0);
  const failed = [...new Set(report.failures.map((f) => f.target))];
  env.outcome = { command: 'snap', counts: { taken, destroyed, datasets, ...(unchanged ? { unchanged } : {}) }, failures: report.failures }; // for notifications and --prometheus
  const summary = `snap: ${verb} ${taken}, ${dryRun ? 'would destroy' : 'destroyed'} ${destroyed} snapshot${destroyed === 1 ? '' : 's'} on ${datasets} dataset${datasets === 1 ? '' : 's'}${unchanged ? ` (${unchanged} unchanged, skipped)` : ''} in ${secs} s (${calls} zfs/btrfs call${calls === 1 ? '' : 's'}); ${failed.length} failed${failed.length ? `: ${failed.join(', ')}` : ''}`;
  if (failed.length > 0) ctx.log.error(summary);
  else ctx.log.info(summary);
  return failed.length > 0 ? EXIT.partial : EXIT.ok;
}

// --wait alone waits a day; --wait N waits N seconds.
function waitSeconds(w: string | boolean | undefined): number | undefined {
  if (w === undefined || w === false) return undefined;
  if (w === true) return 24 * 3600;
  const n = Number(w);
  if (!/^\d+$/.test(w) || !Number.isFinite(n)) throw new UsageError(`--wait ${w}: give a whole number of seconds, e.g. --wait 600`);
  return n;
}
