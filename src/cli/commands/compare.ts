import type { Command } from 'commander';
import { example, lazy, runs } from '../action.js';
import type { ExitSink } from '../globals.js';
import type { CompareFlags } from './compare-run.js';
import { viewOptions } from './view-options.js';

// `holdfast compare [SECTION | SRC DEST]`: a source tree beside its destination: what is missing
// where, snapshots per side, the common base, replication lag and conflicts.
// The body loads on use (compare-run.ts).
export function registerCompare(program: Command, sink: ExitSink): void {
  viewOptions(
    program
      .command('compare')
      .argument('[section-or-source]', 'a section (all its destinations), or a source location with DEST')
      .argument('[dest]', 'the destination location to compare the source with')
      .description('compare source and destination trees: missing datasets and snapshots, common base, lag, conflicts')
      .option('--snapshots', 'list every snapshot with the side(s) it is on'),
  )
    .addHelpText(
      'after',
      example(`
      holdfast compare
      holdfast compare tank/data --snapshots
      holdfast --json compare tank/data ssh:22:root@nas:backup/data`),
    )
    .action(
      runs<CompareFlags>(
        sink,
        lazy(() => import('./compare-run.js').then((m) => m.compareBody)),
      ),
    );
}
