import type { Command } from 'commander';
import { example, lazy, runs } from '../action.js';
import type { ExitSink } from '../globals.js';
import type { CheckFlags } from './check-run.js';

// `holdfast check`: validate the file, print every issue and the resolved policy per section.
// The body loads on use (check-run.ts).
export function registerCheck(program: Command, sink: ExitSink): void {
  program
    .command('check')
    .description('validate the policy file: every problem with file:line, then the resolved policy of every section')
    .option('--strict', 'fail on warnings too (exit 2)')
    .addHelpText(
      'after',
      '\nExit status: 0 the file is clean, 1 it has warnings (runs go on despite them), 2 it has errors\n(nothing runs), or warnings with --strict. At most 50 problems are printed, then how many more.\n' +
        example('holdfast check\nholdfast --config /etc/pyznap/pyznap.conf check --strict'),
    )
    .action(
      runs<CheckFlags>(
        sink,
        lazy(() => import('./check-run.js').then((m) => m.checkBody)),
      ),
    );
}
