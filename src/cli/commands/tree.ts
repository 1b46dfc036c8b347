import type { Command } from 'commander';
import { example, lazy, runs } from '../action.js';
import type { ExitSink } from '../globals.js';
import { type ViewFlags, viewOptions } from './view-options.js';

// `holdfast tree [source|target|DEST]`: datasets with snapshot counts per type, the newest
// snapshot's age, space and compression, for local and ssh locations.
// The body loads on use (tree-run.ts).
export function registerTree(program: Command, sink: ExitSink): void {
  viewOptions(
    program
      .command('tree')
      .argument(
        '[what]',
        'source (default): every configured dataset; target: every destination; or a section, dataset or ssh:PORT:USER@HOST:DATASET',
      )
      .description('show dataset trees: snapshots per type, newest snapshot age, used, referenced, compression ratio'),
  )
    .addHelpText(
      'after',
      example(`
      holdfast tree
      holdfast tree target
      holdfast --json tree ssh:22:root@nas:backup/data`),
    )
    .action(
      runs<ViewFlags>(
        sink,
        lazy(() => import('./tree-run.js').then((m) => m.treeBody)),
      ),
    );
}
