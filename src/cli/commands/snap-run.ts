import { textOf } from '../../app/log/events.js';
import { runSnap } from '../../app/snap/cycle.js';
import type { Body } from '../action.js';
import type { CommandEnv } from '../compose/env.js';
import { EXIT, UsageError, exitCodeOf } from '../exit-codes.js';
import { renderCommands, renderExplain, snapReportJson } from '../render/snap.js';
import { sshSettingsFrom } from '../compose/ssh.js';

// The options of the command, as commander gives them (they are defined in snap.ts).
export interface SnapFlags {
  take?: boolean;
  clean?: boolean;
  full?: boolean;
  explain?: boolean;
  wait?: string | boolean;
  prometheus?: string;
}

// The bodies of `holdfast snap` and `holdfast plan` (registered in snap.ts).
export const snapBody: Body<SnapFlags> = (env, o) => snap(env, o, false);
export const planBody: Body<SnapFlags> = (env) => snap(env, { explain: true }, true);

// The run, then (with --prometheus) its metrics, also when it stopped on an error. The textfile
// writer (and the compare modules behind it) loads only for --prometheus.
async function snap(env: CommandEnv, o: SnapFlags, forcePlan: boolean): Promise<number> {
  if (!o.prometheus || env.g.dryRun || forcePlan) return snapRun(env, o, forcePlan);
  const { writeRunTextfile } = await import('../compose/prometheus.js');
  env.runFile = { path: o.prometheus, command: 'snap' }; // an interrupted run writes it (CommandEnv.endInterrupted)
  let code: number | undefined;
  try {
    return (code = await snapRun(env, o, forcePlan));
  } catch (e) {
    code = exitCodeOf(e);
    throw e;
  } finally {
    if (!env.interrupted)
      writeRunTextfile(
        o.prometheus,
        { command: 'snap', outcome: env.outcome, startedMs: env.startedMs, endedMs: env.clock.nowMs(), exitCode: code ?? 70 },
        (e) => env.err(`holdfast: ${textOf(e)}\n`),
      );
  }
}

async function snapRun(env: CommandEnv, o: SnapFlags, forcePlan: boolean): Promise<number> {
  const dryRun = env.g.dryRun || forcePlan;
  const file = await env.config();
  const both = o.full || (!o.take && !o.clean);
  if (!dryRun) await env.lock('snap', waitSeconds(o.wait));
  const { ctx, runner } = await env.app(sshSettingsFrom(file));
  if (file.sections.length === 0) ctx.log.event({ kind: 'nothing-to-do', command: 'snap', config: file.path });
  const started = ctx.clock.nowMs();
  const report = await runSnap({ ...ctx, dryRun }, file.trees, { take: both || Boolean(o.take), clean: both || Boolean(o.clean) });
  if (env.g.json) env.out(`${JSON.stringify(snapReportJson(report, dryRun), null, 2)}\n`);
  else {
    // `plan` shows the decisions; the zfs commands only when asked for with --dry-run.
    if (env.g.dryRun) env.out(renderCommands(report));
    if (o.explain) env.out(renderExplain(report));
  }
  const taken = report.hosts.reduce((n, h) => n + h.taken, 0);
  const destroyed = report.hosts.reduce((n, h) => n + h.destroyed, 0);
  const datasets = report.hosts.reduce((n, h) => n + h.policies.size, 0);
  const unchanged = report.hosts.reduce((n, h) => n + (h.unchanged ?? 0), 0);
  const calls = (runner.spawned.get('zfs') ?? 0) + (runner.spawned.get('btrfs') ?? 0);
  const failed = [...new Set(report.failures.map((f) => f.target))];
  env.outcome = { command: 'snap', counts: { taken, destroyed, datasets, ...(unchanged ? { unchanged } : {}) }, failures: report.failures }; // for notifications and --prometheus
  const ms = ctx.clock.nowMs() - started;
  ctx.log.event({ kind: 'snap-summary', dryRun, taken, destroyed, datasets, unchanged, ms, calls, failed });
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
