import type { Command } from 'commander';
import type { Body } from '../action.js';
import { type Shell, completionScript } from '../completions.js';
import { EXIT } from '../exit-codes.js';
import { describeProgram } from '../help-model.js';

// The body of `holdfast completion` (registered in completion.ts), for the whole program.
export const completionBody =
  (program: Command): Body<Record<string, never>> =>
  async (env, _o, args) => {
    env.out(completionScript(describeProgram(program), args[0] as Shell));
    return EXIT.ok;
  };
