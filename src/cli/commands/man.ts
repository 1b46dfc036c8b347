import type { Command } from 'commander';
import { lazy, runs } from '../action.js';
import type { ExitSink } from '../program.js';

export interface ManFlags {
  date?: string;
}

// `holdfast man`: print holdfast(1) in roff (hidden; scripts/gen-man.mjs and the bundle's
// users run it: holdfast man > /usr/local/share/man/man1/holdfast.1).
// The body loads on use (man-run.ts).
export function registerMan(program: Command, sink: ExitSink): void {
  program
    .command('man', { hidden: true })
    .description('print the man page (roff)')
    .option('--date <yyyy-mm-dd>', 'the date in the page header (default: SOURCE_DATE_EPOCH, else today)')
    .action(runs<ManFlags>(sink, lazy(() => import('./man-run.js').then((m) => m.manBody(program)))));
}
