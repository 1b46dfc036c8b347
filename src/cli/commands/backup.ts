import type { Command } from 'commander';
import { example, lazy, runs } from '../action.js';
import type { ExitSink } from '../globals.js';
import type { BackupFlags } from './backup-run.js';

// `holdfast backup [NAME…]`: the cron job of [backup:NAME] sections (all of them without NAME).
// The bodies load on use (backup-run.ts).
export function registerBackup(program: Command, sink: ExitSink): void {
  program
    .command('backup [names...]')
    .description('rsync each [backup:NAME] source into its btrfs working copy, then freeze it as a read-only snapshot named by the time')
    .option('--wait [seconds]', 'wait for a running backup of the same NAME instead of exiting 3')
    .addHelpText(
      'after',
      example(`
      0 * * * * root holdfast backup home >> /var/log/holdfast-backup.log 2>&1
      holdfast --dry-run backup home`),
    )
    .action(
      runs<BackupFlags>(
        sink,
        lazy(() => import('./backup-run.js').then((m) => m.backupBody)),
      ),
    );
  program
    .command('setup-backup <names...>')
    .description('create the backups directory (a btrfs subvolume) and its working copy; whatever exists is left as it is')
    .addHelpText('after', example('holdfast setup-backup home'))
    .action(
      runs<object>(
        sink,
        lazy(() => import('./backup-run.js').then((m) => m.setupBackupBody)),
      ),
    );
}
