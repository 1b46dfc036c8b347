import type { Command } from 'commander';
import type { Body } from '../action.js';
import { EXIT } from '../exit-codes.js';
import { describeProgram } from '../help-model.js';
import { manPage } from '../manpage.js';

// The options of the command, as commander gives them (they are defined in man.ts).
export interface ManFlags {
  date?: string;
}

// The body of `holdfast man` (registered in man.ts), for the whole program.
export const manBody =
  (program: Command): Body<ManFlags> =>
  async (env, o) => {
    env.out(manPage(describeProgram(program), o.date ?? pageDate(env.clock.nowMs())));
    return EXIT.ok;
  };

// Reproducible builds set SOURCE_DATE_EPOCH; otherwise today's date.
export function pageDate(nowMs: number): string {
  const epoch = Number(process.env.SOURCE_DATE_EPOCH);
  return new Date(Number.isFinite(epoch) && epoch > 0 ? epoch * 1000 : nowMs).toISOString().slice(0, 10);
}
