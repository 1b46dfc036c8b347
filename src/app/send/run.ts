import type { PolicyFile } from '../../config/policy-file.js';
import { TreeIndex } from '../../config/sections/tree.js';
import { endpointKey, placeLabel } from '../../domain/endpoint.js';
import type { HostState } from '../../domain/host-state.js';
import type { AppContext } from '../context.js';
import type { RunEnv, SendRunOptions } from './env.js';
import type { Failure } from '../failures.js';
import { cleanDestinations } from './clean.js';
import type { JobProblem, SendJob } from './jobs.js';
import { sendJob } from './job.js';
import type { SendPorts } from './ports.js';
import type { JobReport, SendReport } from './report.js';
import { destPropsFor, sourcePropsFor } from './setup.js';
import type { SendEvents } from './transfer.js';
import { within } from '../activity.js';
import { jobDoing } from './interrupt.js';
import { hookedJob } from './hooks.js';
import { Slots } from './slots.js';
import { isSelfOrDescendant } from '../../domain/dataset-name.js';

// `holdfast send`: the jobs side by side (their transfers bounded by the run's slots; parents
// before children inside each), then the destinations' own clean. Jobs whose destination trees
// overlap run one after the other, in config order, as they did when every job ran in turn.
// A failed dataset or destination never stops the others.
export async function runSend(
  ctx: AppContext,
  ports: SendPorts,
  jobs: readonly SendJob[],
  problems: readonly JobProblem[],
  o: SendRunOptions,
  events: SendEvents = {},
  file?: PolicyFile,
): Promise<SendReport> {
  const roots = { source: new Map<string, Set<string>>(), dest: new Map<string, Set<string>>() };
  for (const j of jobs) {
    for (const side of ['source', 'dest'] as const) {
      const k = endpointKey(j[side].endpoint);
      roots[side].set(k, (roots[side].get(k) ?? new Set()).add(j[side].dataset));
    }
  }
  const listings = new Map<string, Promise<HostState>>();
  const warned = new Set<string>();
  const trees = new TreeIndex(file?.trees ?? []);
  const run: RunEnv = {
    ctx,
    ports,
    o,
    events,
    where: (e, ds) => placeLabel(e, ds),
    slots: new Slots(o.parallel?.total ?? 4, o.parallel?.perHost ?? 2),
    list: (side, e) => {
      const k = `${side}\u0000${endpointKey(e)}`;
      let p = listings.get(k);
      if (!p) {
        const wanted = [...(roots[side].get(endpointKey(e)) ?? [])];
        p = ports
          .zfs(e)
          .capabilities()
          .then((c) => ports.zfs(e).listState(wanted, side === 'source' ? sourcePropsFor(c) : destPropsFor(c)));
        listings.set(k, p);
      }
      return p;
    },
    destPolicy: (e, ds) => trees.governing(e, ds)?.policy,
    warnOnce: (key, event) => {
      if (warned.has(key)) return;
      warned.add(key);
      ctx.log.event(event);
    },
  };
  const done: Promise<JobReport>[] = [];
  jobs.forEach((j, i) => {
    const before = jobs.slice(0, i).flatMap((k, n) => (overlapping(k, j) ? [done[n]!] : []));
    done.push(
      Promise.all(before).then(async () => {
        const r = await within(
          ctx.during,
          jobDoing(`${run.where(j.source.endpoint, j.source.dataset)} → ${run.where(j.dest.endpoint, j.dest.dataset)}`),
          () => hookedJob(run, j, () => sendJob(run, j)),
        );
        if (r.problem)
          ctx.log.event(
            r.status === 'busy'
              ? { kind: 'busy', command: 'send', target: r.label, reason: r.problem }
              : { kind: 'failed', stage: 'send', target: r.label, message: r.problem },
          );
        return r;
      }),
    );
  });
  const reports = await Promise.all(done);
  for (const p of problems)
    ctx.log.event(
      p.skipped
        ? { kind: 'handled-elsewhere', command: 'send', target: p.target, reason: p.message }
        : { kind: 'failed', stage: 'send', target: p.target, message: p.message },
    );
  const clean = o.clean && file ? await cleanDestinations(ctx, ports, file, reports) : undefined;
  return {
    dryRun: o.dryRun,
    jobs: reports,
    problems,
    failures: [
      ...failuresOf(reports, run),
      ...problems.filter((p) => !p.skipped).map((p) => ({ target: p.target, stage: 'config', message: p.message })),
      ...(clean?.report?.failures ?? []),
    ],
    busy: reports.filter((r) => r.status === 'busy').map((r) => r.label),
    ...(clean?.report ? { clean: clean.report } : {}),
    ...(clean?.skipped ? { cleanSkipped: clean.skipped } : {}),
  };
}

// Two jobs into one destination tree (the same dataset, or one inside the other, on one host).
function overlapping(a: SendJob, b: SendJob): boolean {
  if (endpointKey(a.dest.endpoint) !== endpointKey(b.dest.endpoint)) return false;
  return isSelfOrDescendant(a.dest.dataset, b.dest.dataset) || isSelfOrDescendant(b.dest.dataset, a.dest.dataset);
}

function failuresOf(reports: readonly JobReport[], run: RunEnv): Failure[] {
  const out: Failure[] = [];
  for (const r of reports) {
    if (r.status === 'busy') continue;
    if (r.problem) out.push({ target: r.label, stage: 'send', message: r.problem });
    for (const p of r.pairs) {
      if (p.status !== 'failed' && p.status !== 'conflict') continue;
      const target = `${run.where(r.job.source.endpoint, p.plan.source)} → ${run.where(r.job.dest.endpoint, p.plan.dest)}`;
      out.push({ target, stage: p.status === 'conflict' ? 'conflict' : 'send', message: p.error ?? p.status });
    }
  }
  return out;
}
