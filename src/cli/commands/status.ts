import type { Command } from 'commander';
import { example, lazy, runs } from '../action.js';
import type { ExitSink } from '../globals.js';
import type { StatusFlags } from './status-run.js';

// `holdfast status DEST`: z3's status for an s3:// or file:// store. Exit 1 when a chain is broken.
export function registerStatus(program: Command, sink: ExitSink): void {
  program
    .command('status')
    .argument('<dest>', 's3://BUCKET/PREFIX or file:///PATH')
    .description(
      'show each snapshot on the source and in a store: presence, full or incremental, parent, size, age, chain health (exit 1 if a chain is broken)',
    )
    .option('--dataset <name>', 'only this dataset and its children')
    .option('--explain', "also show the store's retention: why each stored snapshot is kept, or would be deleted")
    .addHelpText(
      'after',
      example(`
      holdfast status s3://backups/tank
      holdfast --json status file:///mnt/usb/tank --dataset tank/data | jq .`),
    )
    .action(
      runs<StatusFlags>(
        sink,
        lazy(() => import('./status-run.js').then((m) => m.statusBody)),
      ),
    );
}
