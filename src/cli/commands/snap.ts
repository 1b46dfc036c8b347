import type { Command } from 'commander';
import { example, lazy, runs } from '../action.js';
import type { ExitSink } from '../globals.js';
import type { SnapFlags } from './snap-run.js';

// `holdfast snap`: the cron job. `holdfast plan` is `snap --dry-run --explain`.
// The bodies load on use (snap-run.ts).
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
    .addHelpText(
      'after',
      example(`
      holdfast setup --cron      # writes /etc/cron.d/holdfast (PATH set, snap every 15 minutes)
      holdfast snap --dry-run --explain`),
    )
    .action(
      runs<SnapFlags>(
        sink,
        lazy(() => import('./snap-run.js').then((m) => m.snapBody)),
      ),
    );
  program
    .command('plan')
    .description('show what the next snap would take, keep and destroy, and why (changes nothing)')
    .addHelpText('after', example('holdfast plan\nholdfast --json plan | jq .'))
    .action(
      runs<SnapFlags>(
        sink,
        lazy(() => import('./snap-run.js').then((m) => m.planBody)),
      ),
    );
}
