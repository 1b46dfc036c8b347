import type { PolicyFile } from '../../config/policy-file.js';
import { TreeIndex } from '../../config/sections/tree.js';
import type { SnapPolicy } from '../../domain/policy.js';
import { type CleanupDest, type CleanupPlan, planCleanup } from '../../domain/views/cleanup.js';
import type { ZfsLocation } from '../../domain/location.js';
import type { AppContext } from '../context.js';
import type { LogEvent } from '../ports.js';
import { type Failure, messageOf } from '../failures.js';
import { jobsFromConfig } from '../send/jobs.js';
import { placeLabel } from '../../domain/endpoint.js';
import { UsageError } from '../../domain/errors.js';

// `holdfast cleanup X` where X is not a zfs section of the config: a usage error (exit 2).
export class CleanupArgumentError extends UsageError {
  override name = 'CleanupArgumentError';
}

export interface CleanupRun {
  readonly section: string;
  readonly source: ZfsLocation;
  readonly keep: number;
  readonly dests: readonly string[];
  readonly plan: CleanupPlan;
  readonly commands: readonly string[]; // every zfs destroy, printable, in order
}

// Plan abgleich's cleanup of one section (changes nothing): list the source and every destination.
export async function planCleanupRun(ctx: AppContext, file: PolicyFile, sectionName: string, keepFlag?: number): Promise<CleanupRun> {
  const section = file.sections.find((s) => s.name === sectionName);
  if (!section) throw new CleanupArgumentError(`cleanup: no section [${sectionName}] in ${file.path}`);
  const tree = file.trees.find((t) => t.name === sectionName && t.kind === 'zfs');
  if (section.location?.kind !== 'zfs' || !tree) throw new CleanupArgumentError(`cleanup: [${sectionName}] is not a zfs dataset section`);
  const source = section.location;
  const keep = keepFlag ?? tree.cleanupKeep;
  const { jobs, problems } = jobsFromConfig(file);
  const mine = jobs.filter((j) => j.section?.name === sectionName);
  const others = problems.filter((p) => p.target.startsWith(`${sectionName} → `) || p.target.startsWith(`[${sectionName}] `));
  const host = ctx.snapshots('zfs', source.endpoint);
  const [caps, state] = await Promise.all([host.capabilities(), host.listState([source.dataset])]);
  if (!state.datasets.has(source.dataset))
    throw new CleanupArgumentError(`cleanup: ${placeLabel(source.endpoint, source.dataset)} does not exist`);
  const dests: CleanupDest[] = await Promise.all(
    mine.map(async (j): Promise<CleanupDest> => {
      const label = placeLabel(j.dest.endpoint, j.dest.dataset);
      try {
        return {
          label,
          root: j.dest.dataset,
          excludes: j.options.exclude,
          state: await ctx.snapshots('zfs', j.dest.endpoint).listState([j.dest.dataset]),
        };
      } catch (e) {
        ctx.log.event({ kind: 'cleanup-unlisted', destination: label, message: messageOf(e) });
        return { label, root: j.dest.dataset, excludes: j.options.exclude, problem: `${label} could not be listed (${messageOf(e)})` };
      }
    }),
  );
  // A destination holdfast cannot look into (s3://, file://) holds nothing it can vouch for.
  for (const p of others)
    dests.push({
      label: p.target.replace(/^.* → /, ''),
      root: '',
      excludes: [],
      problem: `${p.target.replace(/^.* → /, '')} is not a zfs destination: cleanup cannot see what it holds`,
    });
  const trees = new TreeIndex(file.trees);
  const policyOf = (dataset: string): SnapPolicy | undefined => trees.governing(source.endpoint, dataset)?.policy;
  const plan = planCleanup({ source: { root: source.dataset, state }, dests, keep, policyOf, caps });
  const commands = plan.batches.map((b) => ctx.printable(source.endpoint, host.argvFor(b)));
  return { section: sectionName, source, keep, dests: dests.map((d) => d.label), plan, commands };
}

// Run the destroys; a snapshot that fails (held meanwhile, busy) is reported, the others go on.
export async function executeCleanup(ctx: AppContext, run: CleanupRun): Promise<{ destroyed: number; failures: Failure[] }> {
  const host = ctx.snapshots('zfs', run.source.endpoint);
  let destroyed = 0;
  const failures: Failure[] = [];
  for (const batch of run.plan.batches) {
    const r = await host.destroy(batch);
    destroyed += r.ok.length;
    for (const t of r.ok)
      ctx.log.event(destroyedOne(placeLabel(run.source.endpoint, t.slice(0, t.indexOf('@'))), t.slice(t.indexOf('@') + 1)));
    for (const f of r.failed) {
      const failure = { target: placeLabel(run.source.endpoint, f.target), stage: 'cleanup', message: f.error.message };
      failures.push(failure);
      ctx.log.event({ kind: 'failed', ...failure });
    }
  }
  return { destroyed, failures };
}

// One destroyed snapshot, as snap logs a single destroy.
const destroyedOne = (dataset: string, snapshot: string): LogEvent => ({
  kind: 'destroyed',
  dataset,
  snapshots: [snapshot],
  descendants: 0,
  call: 'single',
  destroyed: [`${dataset}@${snapshot}`],
});
