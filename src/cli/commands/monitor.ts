import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { runMonitor } from '../../app/monitor.js';
import { messageOf } from '../../app/failures.js';
import { EXIT_OF, nagiosReport } from '../../domain/monitor/nagios.js';
import { type Limits, parseLimits } from '../../domain/monitor/thresholds.js';
import { example, runs } from '../action.js';
import type { CommandEnv } from '../env.js';
import type { ExitSink } from '../program.js';
import { monitorJson } from '../render/monitor.js';
import { type ViewFlags, viewOptions, viewSsh } from './tree.js';

interface MonitorFlags extends ViewFlags {
  warn?: string[];
  crit?: string[];
  run?: string[];
}

// `holdfast monitor`: a Nagios/Icinga plugin. Exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN; one
// status line with perfdata, then one line per problem. Every error is UNKNOWN, never exit 2.
export function registerMonitor(program: Command, sink: ExitSink): void {
  viewOptions(
    program
      .command('monitor')
      .argument('[sections...]', 'only these sections (default: every section; monitor = no leaves one out)')
      .description('Nagios/Icinga check: snapshot freshness per type, replication lag, the last runs (exit 0/1/2/3)')
      .option('--warn <limits>', 'WARNING ages, e.g. hourly=90m,daily=28h,lag=26h (over monitor_warn and the defaults; repeatable)', collect)
      .option('--crit <limits>', 'CRITICAL ages, e.g. hourly=6h,daily=32h,lag=50h (repeatable)', collect)
      .option('--run <file>', 'a textfile snap/send wrote with --prometheus: its failures are checked too (repeatable)', collect),
  )
    .addHelpText('after', example(`
      holdfast monitor --warn hourly=2h --crit hourly=8h
      holdfast monitor tank/data --run /var/lib/prometheus/node-exporter/holdfast-snap.prom`))
    .action(runs<MonitorFlags>(sink, (env, o, args) => monitor(env, o, args)));
}

async function monitor(env: CommandEnv, o: MonitorFlags, sections: string[]): Promise<number> {
  try {
    const flags = { warn: limits(o.warn, '--warn'), crit: limits(o.crit, '--crit') };
    const file = await env.config();
    const unknown = sections.filter((s) => !file.sections.some((x) => x.name === s));
    if (unknown.length > 0) throw new Error(`no section ${unknown.map((s) => `[${s}]`).join(', ')} in ${file.path}`);
    const runsRead = (o.run ?? []).map((path) => ({ path, text: readOrUndefined(path) }));
    const { ctx } = await env.app(viewSsh(file, o));
    const checks = await runMonitor(ctx, file, { flags, runs: runsRead, sections });
    const report = nagiosReport(checks);
    env.out(env.g.json ? `${JSON.stringify(monitorJson(report, checks), null, 2)}\n` : report.text);
    return report.exit;
  } catch (e) {
    env.out(`HOLDFAST UNKNOWN - ${messageOf(e).split('\n')[0]}\n`);
    return EXIT_OF.UNKNOWN;
  }
}

// Repeatable options collect into a list (a variadic option would swallow the sections).
const collect = (v: string, prev: string[] | undefined): string[] => [...(prev ?? []), v];

function limits(values: string[] | undefined, flag: string): Partial<Limits> {
  const out: Partial<Limits> = {};
  for (const v of values ?? []) {
    const r = parseLimits(v);
    if ('error' in r) throw new Error(`${flag} ${v}: ${r.error}`);
    Object.assign(out, r.limits);
  }
  return out;
}

function readOrUndefined(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
