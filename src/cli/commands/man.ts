import type { Command } from 'commander';
import { example, lazy, runs } from '../action.js';
import type { ExitSink } from '../globals.js';
import type { ManFlags } from './man-run.js';

// `holdfast man`: print holdfast(1) in roff (scripts/gen-man.mjs runs it; `holdfast setup --man`
// installs it where man looks).
// The body loads on use (man-run.ts).
export function registerMan(program: Command, sink: ExitSink): void {
  program
    .command('man')
    .description('print the man page in roff (holdfast setup --man installs it: man holdfast)')
    .option('--date <yyyy-mm-dd>', 'the date in the page header (default: SOURCE_DATE_EPOCH, else today)')
    .addHelpText('after', example('holdfast setup --man    # then: man holdfast\nholdfast man | man -l -'))
    .action(
      runs<ManFlags>(
        sink,
        lazy(() => import('./man-run.js').then((m) => m.manBody(program))),
      ),
    );
}
