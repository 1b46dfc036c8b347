import type { Command } from 'commander';
import { runCompare } from '../../app/compare.js';
import { BadLocationError, DEFAULT_DEST_OPTIONS, type SendJob, jobFromFlags, jobsFromConfig } from '../../app/send-jobs.js';
import type { PolicyFile } from '../../config/policy-file.js';
import { example, runs } from '../action.js';
import type { CommandEnv } from '../env.js';
import { EXIT, UsageError } from '../exit-codes.js';
import type { ExitSink } from '../program.js';
import { compareJson, renderCompare } from '../render/compare.js';
import { colourWanted, styleFor } from '../render/tree-style.js';
import { type ViewFlags, optionalConfig, viewOptions, viewSsh } from './tree.js';

interface CompareFlags extends ViewFlags {
  snapshots?: boolean;
}

// `holdfast compare [SECTION | SRC DEST]`: a source tree beside its destination: what is missing
// where, snapshots per side, the common base, replication lag and conflicts.
export function registerCompare(program: Command, sink: ExitSink): void {
  viewOptions(
    program
      .command('compare')
      .argument('[section-or-source]', 'a section (all its destinations), or a source location with DEST')
      .argument('[dest]', 'the destination location to compare the source with')
      .description('compare source and destination trees: missing datasets and snapshots, common base, lag, conflicts')
      .option('--snapshots', 'list every snapshot with the side(s) it is on'),
  )
    .addHelpText('after', example(`
      holdfast compare
      holdfast compare tank/data --snapshots
      holdfast --json compare tank/data ssh:22:root@nas:backup/data`))
    .action(runs<CompareFlags>(sink, (env, o, args) => compare(env, o, args)));
}

async function compare(env: CommandEnv, o: CompareFlags, args: string[]): Promise<number> {
  const [first, second] = args;
  const file = await optionalConfig(env, second === undefined);
  const jobs = jobsFor(file, first, second);
  const { ctx } = await env.app(viewSsh(file, o));
  const views = await runCompare(ctx, jobs);
  env.out(env.g.json ? `${JSON.stringify(compareJson(views), null, 2)}\n` : renderCompare(views, styleFor(colourWanted(process.stdout)), Boolean(o.snapshots)));
  if (jobs.length === 0) ctx.log.warn(`compare: no section of ${env.g.config} has a zfs dest; nothing to compare`);
  return views.some((v) => v.problem) ? EXIT.partial : EXIT.ok;
}

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
  if (mine.length === 0) throw new UsageError(`compare: [${first}] is not a section of ${file!.path} with a zfs dest; give a section, or SOURCE DEST`);
  return mine;
}
