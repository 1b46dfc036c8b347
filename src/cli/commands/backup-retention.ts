import type { Command } from 'commander';
import { example, lazy, runs } from '../action.js';
import type { ExitSink } from '../globals.js';
import type { RetentionFlags } from './backup-retention-run.js';

// `holdfast list [NAME…]`, `holdfast prune NAME…`, `holdfast decay NAME…`: the backups of
// [backup:NAME] sections, and snapshotbackup's two retention commands.
// The bodies load on use (backup-retention-run.ts).
export function registerBackupRetention(program: Command, sink: ExitSink): void {
  program
    .command('list [names...]')
    .description('list the backups of [backup:NAME] sections: age, and what prune and decay would do with each, and why')
    .addHelpText('after', example('holdfast list home\nholdfast --json list | jq .'))
    .action(
      runs<object>(
        sink,
        lazy(() => import('./backup-retention-run.js').then((m) => m.listBody)),
      ),
    );
  program
    .command('prune <names...>')
    .description('delete backups that retain_all, retain_daily, the weeklies and "latest" do not keep (lists the plan first)')
    .option('--wait [seconds]', 'wait for a running backup of the same NAME instead of exiting 3')
    .addHelpText('after', example('holdfast --dry-run prune home\nholdfast prune home'))
    .action(
      runs<RetentionFlags>(
        sink,
        lazy(() => import('./backup-retention-run.js').then((m) => m.pruneBody)),
      ),
    );
  program
    .command('decay <names...>')
    .description('delete backups older than decay, except the latest (lists the plan first)')
    .option('--wait [seconds]', 'wait for a running backup of the same NAME instead of exiting 3')
    .addHelpText('after', example('holdfast --dry-run decay home\nholdfast decay home'))
    .action(
      runs<RetentionFlags>(
        sink,
        lazy(() => import('./backup-retention-run.js').then((m) => m.decayBody)),
      ),
    );
}
