import type { ViewFlags } from './view-options.js';
import { runCompare } from '../../app/views/compare.js';
import { BadLocationError, DEFAULT_DEST_OPTIONS, type SendJob, jobFromFlags, jobsFromConfig } from '../../app/send/jobs.js';
import type { PolicyFile } from '../../config/policy-file.js';
import type { Body } from '../action.js';
import { EXIT, UsageError } from '../exit-codes.js';
import { compareJson, renderCompare } from '../render/compare.js';
import { colourWanted, styleFor } from '../render/tree-style.js';
import { optionalConfig, viewSsh } from '../compose/views.js';

// The options of the command, as commander gives them (they are defined in compare.ts).
export interface CompareFlags extends ViewFlags {
  snapshots?: boolean;
}

// The body of `holdfast compare` (registered in compare.ts).
export const compareBody: Body<CompareFlags> = async (env, o, args) => {
  const [first, second] = args;
  const file = await optionalConfig(env, second === undefined);
  const jobs = jobsFor(file, first, second);
  const { ctx } = await env.app(viewSsh(file, o));
  const views = await runCompare(ctx, jobs);
  env.out(
    env.g.json
      ? `${JSON.stringify(compareJson(views), null, 2)}\n`
      : renderCompare(views, styleFor(colourWanted(process.stdout)), Boolean(o.snapshots)),
  );
  if (jobs.length === 0) ctx.log.event({ kind: 'nothing-to-do', command: 'compare', config: env.g.config });
  return views.some((v) => v.problem) ? EXIT.partial : EXIT.ok;
};

function jobsFor(file: PolicyFile | undefined, first: string | undefined, second: string | undefined): SendJob[] {
  if (second !== undefined) {
    try {
      return [jobFromFlags(first!, second, DEFAULT_DEST_OPTIONS)];
    } catch (e) {
      if (e instanceof BadLocationError) throw new UsageError(`compare: ${e.message}`);
      throw e;
    }
  }
  const jobs = jobsFromConfig(file!).jobs;
  if (first === undefined) return jobs;
  const mine = jobs.filter((j) => j.section?.name === first);
  if (mine.length === 0)
    throw new UsageError(`compare: [${first}] is not a section of ${file!.path} with a zfs dest; give a section, or SOURCE DEST`);
  return mine;
}
