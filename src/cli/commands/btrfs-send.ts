import type { Command } from 'commander';
import { example, lazy, runs } from '../action.js';
import type { ExitSink } from '../globals.js';
import type { BtrfsSendFlags } from './btrfs-send-run.js';

// `holdfast btrfs-send`: replicate the snapshots of every [btrfs:/PATH] section with a dest.
// The body loads on use (btrfs-send-run.ts).
export function registerBtrfsSend(program: Command, sink: ExitSink): void {
  program
    .command('btrfs-send')
    .description(
      'replicate btrfs snapshots to each dest (btrfs send -p | btrfs receive, parent found by received_uuid), locally or over ssh',
    )
    .option('--wait [seconds]', 'wait for a running btrfs-send instead of exiting 3')
    .addHelpText(
      'after',
      example(`
      30 * * * * root holdfast btrfs-send >> /var/log/holdfast.log 2>&1
      holdfast --dry-run btrfs-send`),
    )
    .action(
      runs<BtrfsSendFlags>(
        sink,
        lazy(() => import('./btrfs-send-run.js').then((m) => m.btrfsSendBody)),
      ),
    );
}
