import type { Command } from 'commander';
import { CleanupArgumentError, executeCleanup, planCleanupRun } from '../../app/cleanup.js';
import { example, runs } from '../action.js';
import { confirmActions } from '../confirm.js';
import type { CommandEnv } from '../env.js';
import { EXIT, UsageError } from '../exit-codes.js';
import type { ExitSink } from '../program.js';
import { cleanupJson, renderCleanup } from '../render/compare-cleanup.js';
import { colourWanted, styleFor } from '../render/tree-style.js';
import { type ViewFlags, viewOptions, viewSsh } from './tree.js';

interface CleanupFlags extends ViewFlags {
  keep?: string;
  yes?: boolean;
  explain?: boolean;
}

// `holdfast cleanup SECTION`: abgleich's cleanup. Lists what it would destroy, asks on a
// terminal, and destroys only source snapshots every destination holds (same guid).
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
    .addHelpText('after', example(`
      holdfast cleanup tank/data
      holdfast --dry-run cleanup tank/data --keep 3 --explain
      holdfast cleanup tank/data --yes`))
    .action(runs<CleanupFlags>(sink, (env, o, args) => cleanup(env, o, args[0]!)));
}

async function cleanup(env: CommandEnv, o: CleanupFlags, section: string): Promise<number> {
  const keep = o.keep === undefined ? undefined : Number(o.keep);
  if (keep !== undefined && (!Number.isInteger(keep) || keep < 1)) throw new UsageError(`cleanup: --keep "${o.keep}" is not a whole number of at least 1`);
  const file = await env.config();
  if (!env.g.dryRun) await env.lock('snap'); // never alongside snap's own clean
  const { ctx } = await env.app(viewSsh(file, o));
  let run;
  try {
    run = await planCleanupRun(ctx, file, section, keep);
  } catch (e) {
    if (e instanceof CleanupArgumentError) throw new UsageError(e.message);
    throw e;
  }
  const count = run.plan.batches.reduce((n, b) => n + b.covers.length, 0);
  env.out(env.g.json ? `${JSON.stringify(cleanupJson(run), null, 2)}\n` : renderCleanup(run, styleFor(colourWanted(process.stdout)), Boolean(o.explain)));
  if (env.g.dryRun || count === 0) return EXIT.ok;
  if (!(await confirmActions(`destroy ${count} snapshot${count === 1 ? '' : 's'}`, count, o))) {
    env.err('cleanup: nothing was destroyed\n');
    return EXIT.ok;
  }
  const r = await executeCleanup(ctx, run);
  const line = `cleanup: destroyed ${r.destroyed} of ${count} snapshot${count === 1 ? '' : 's'}; ${r.failures.length} failed${r.failures.length ? `: ${r.failures.map((f) => f.target).join(', ')}` : ''}`;
  (r.failures.length ? ctx.log.error : ctx.log.info)(line);
  return r.failures.length ? EXIT.partial : EXIT.ok;
}
