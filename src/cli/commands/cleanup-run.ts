import type { ViewFlags } from './view-options.js';
import { executeCleanup, planCleanupRun } from '../../app/views/cleanup.js';
import type { Body } from '../action.js';
import { confirmActions } from '../confirm.js';
import type { CommandEnv } from '../compose/env.js';
import { EXIT, UsageError } from '../exit-codes.js';
import { cleanupJson, renderCleanup } from '../render/compare-cleanup.js';
import { colourWanted, styleFor } from '../render/tree-style.js';
import { viewSsh } from '../compose/views.js';

// The options of the command, as commander gives them (they are defined in cleanup.ts).
export interface CleanupFlags extends ViewFlags {
  keep?: string;
  yes?: boolean;
  explain?: boolean;
}

// The body of `holdfast cleanup` (registered in cleanup.ts).
export const cleanupBody: Body<CleanupFlags> = (env, o, args) => cleanup(env, o, args[0]!);

async function cleanup(env: CommandEnv, o: CleanupFlags, section: string): Promise<number> {
  const keep = o.keep === undefined ? undefined : Number(o.keep);
  if (keep !== undefined && (!Number.isInteger(keep) || keep < 1))
    throw new UsageError(`cleanup: --keep "${o.keep}" is not a whole number of at least 1`);
  const file = await env.config();
  if (!env.g.dryRun) await env.lock('snap'); // never alongside snap's own clean
  const { ctx } = await env.app(viewSsh(file, o));
  const run = await planCleanupRun(ctx, file, section, keep); // a CleanupArgumentError is a usage error (exit 2)
  const count = run.plan.batches.reduce((n, b) => n + b.covers.length, 0);
  env.out(
    env.g.json
      ? `${JSON.stringify(cleanupJson(run), null, 2)}\n`
      : renderCleanup(run, styleFor(colourWanted(process.stdout)), Boolean(o.explain)),
  );
  if (env.g.dryRun || count === 0) return EXIT.ok;
  if (!(await confirmActions(`destroy ${count} snapshot${count === 1 ? '' : 's'}`, count, o))) {
    env.err('cleanup: nothing was destroyed\n');
    return EXIT.ok;
  }
  const r = await executeCleanup(ctx, run);
  ctx.log.event({ kind: 'cleanup-summary', destroyed: r.destroyed, planned: count, failed: r.failures.map((f) => f.target) });
  return r.failures.length ? EXIT.partial : EXIT.ok;
}
