import type { Command } from 'commander';
import { example, lazy, runs } from '../action.js';
import type { ExitSink } from '../globals.js';
import type { MonitorFlags } from './monitor-run.js';
import { viewOptions } from './view-options.js';

// `holdfast monitor`: a Nagios/Icinga plugin. Exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN; one
// status line with perfdata, then one line per problem. Every error is UNKNOWN, never exit 2.
// The body loads on use (monitor-run.ts).
export function registerMonitor(program: Command, sink: ExitSink): void {
  viewOptions(
    program
      .command('monitor')
      .argument('[sections...]', 'only these sections (default: every section; monitor = no leaves one out)')
      .description('Nagios/Icinga check: snapshot freshness per type, replication lag, the last runs (exit 0/1/2/3)')
      .option(
        '--warn <limits>',
        'WARNING ages, e.g. hourly=90m,daily=28h,lag=26h (over monitor_warn and the defaults; repeatable)',
        collect,
      )
      .option('--crit <limits>', 'CRITICAL ages, e.g. hourly=6h,daily=32h,lag=50h (repeatable)', collect)
      .option('--run <file>', 'a textfile snap/send wrote with --prometheus: its failures are checked too (repeatable)', collect),
  )
    .addHelpText(
      'after',
      example(`
      holdfast monitor --warn hourly=2h --crit hourly=8h
      holdfast monitor tank/data --run /var/lib/prometheus/node-exporter/holdfast-snap.prom`),
    )
    .action(
      runs<MonitorFlags>(
        sink,
        lazy(() => import('./monitor-run.js').then((m) => m.monitorBody)),
      ),
    );
}

// Repeatable options collect into a list (a variadic option would swallow the sections).
const collect = (v: string, prev: string[] | undefined): string[] => [...(prev ?? []), v];
