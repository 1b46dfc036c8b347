import { type ComparePair, compareTrees } from '../../domain/views/compare.js';
import { TREE_PROPS } from '../../domain/views/tree.js';
import type { AppContext } from '../context.js';
import type { SendJob } from '../send/jobs.js';
import { Listings, isError } from './listing.js';
import { placeLabel } from '../../domain/endpoint.js';

// One source tree beside one destination tree.
export interface CompareView {
  readonly job: SendJob;
  readonly source: string; // labels: "tank/data", "ssh:22:root@nas:backup/data"
  readonly dest: string;
  readonly pairs: readonly ComparePair[];
  readonly problem?: string;
  readonly unlisted?: { readonly side: 'source' | 'destination'; readonly error: string }; // its host could not be listed
}

// `holdfast compare`: every job's two trees, one listing per host for all of them.
export async function runCompare(ctx: AppContext, jobs: readonly SendJob[]): Promise<CompareView[]> {
  const listings = new Listings(ctx, TREE_PROPS);
  for (const j of jobs) {
    listings.want(j.source.endpoint, j.source.dataset);
    listings.want(j.dest.endpoint, j.dest.dataset);
  }
  const nowMs = ctx.clock.nowMs();
  const views: CompareView[] = [];
  for (const job of jobs) {
    const source = placeLabel(job.source.endpoint, job.source.dataset);
    const dest = placeLabel(job.dest.endpoint, job.dest.dataset);
    const [s, d] = await Promise.all([listings.get(job.source.endpoint), listings.get(job.dest.endpoint)]);
    const problem = isError(s)
      ? `source ${source}: ${s.error}`
      : isError(d)
        ? `destination ${dest}: ${d.error}`
        : !s.datasets.has(job.source.dataset)
          ? `source ${source} does not exist`
          : undefined;
    if (problem || isError(s) || isError(d)) {
      const unlisted = isError(s)
        ? { side: 'source' as const, error: s.error }
        : isError(d)
          ? { side: 'destination' as const, error: d.error }
          : undefined;
      views.push({ job, source, dest, pairs: [], problem: problem ?? 'unreachable', ...(unlisted ? { unlisted } : {}) });
      continue;
    }
    const pairs = compareTrees({
      source: { root: job.source.dataset, state: s },
      dest: { root: job.dest.dataset, state: d },
      excludes: job.options.exclude,
      nowMs,
    });
    views.push({ job, source, dest, pairs });
  }
  return views;
}

// Replication lag per source dataset and destination, as the metrics and monitor report it.
export function lagsOf(views: readonly CompareView[]): { dataset: string; dest: string; sec: number }[] {
  return views.flatMap((v) =>
    v.pairs.flatMap((p) =>
      p.lag && p.state !== 'excluded' && p.state !== 'missing-on-source'
        ? [{ dataset: placeLabel(v.job.source.endpoint, p.source), dest: placeLabel(v.job.dest.endpoint, p.dest), sec: p.lag.sec }]
        : [],
    ),
  );
}
