import type { Command } from 'commander';
import { systemClock } from '../../infra/clock.js';
import { runs } from '../action.js';
import { EXIT } from '../exit-codes.js';
import type { ExitSink } from '../program.js';

// `holdfast man`: print holdfast(1) in roff (hidden; scripts/gen-man.mjs and the bundle's
// users run it: holdfast man > /usr/local/share/man/man1/holdfast.1).
export function registerMan(program: Command, sink: ExitSink): void {
  program
    .command('man', { hidden: true })
    .description('print the man page (roff)')
    .option('--date <yyyy-mm-dd>', 'the date in the page header (default: SOURCE_DATE_EPOCH, else today)')
    .action(
      runs<{ date?: string }>(sink, async (env, o) => {
        const [{ describeProgram }, { manPage }] = await Promise.all([import('../help-model.js'), import('../manpage.js')]);
        env.out(manPage(describeProgram(program), o.date ?? pageDate()));
        return EXIT.ok;
      }),
    );
}

// Reproducible builds set SOURCE_DATE_EPOCH; otherwise today's date.
function pageDate(): string {
  const epoch = Number(process.env.SOURCE_DATE_EPOCH);
  return new Date(Number.isFinite(epoch) && epoch > 0 ? epoch * 1000 : systemClock.nowMs()).toISOString().slice(0, 10);
}
