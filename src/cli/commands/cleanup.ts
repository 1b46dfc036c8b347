import type { Command } from 'commander';
import { example, lazy, runs } from '../action.js';
import type { ExitSink } from '../globals.js';
import type { CleanupFlags } from './cleanup-run.js';
import { viewOptions } from './view-options.js';

// `holdfast cleanup SECTION`: abgleich's cleanup. Lists what it would destroy, asks on a
// terminal, and destroys only source snapshots every destination holds (same guid).
// The body loads on use (cleanup-run.ts).
export function registerCleanup(program: Command, sink: ExitSink): void {
  viewOptions(
    program
      .command('cleanup')
      .argument('<section>', 'a section with destinations')
      .description('destroy source snapshots already on every destination, beyond the newest --keep of them (asks first)')
      .option('--keep <n>', 'of the snapshots on every destination, keep this many newest on the source (default: cleanup_keep, else 1)')
      .option('-y, --yes', 'do not ask: destroy what is listed')
      .option('--explain', 'also show every snapshot kept, and why'),
  )
    .addHelpText(
      'after',
      example(`
      holdfast cleanup tank/data
      holdfast --dry-run cleanup tank/data --keep 3 --explain
      holdfast cleanup tank/data --yes`),
    )
    .action(
      runs<CleanupFlags>(
        sink,
        lazy(() => import('./cleanup-run.js').then((m) => m.cleanupBody)),
      ),
    );
}
