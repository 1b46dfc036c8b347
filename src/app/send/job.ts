import { isSelfOrDescendant, parentOf } from '../../domain/dataset-name.js';
import { type Endpoint, endpointKey } from '../../domain/endpoint.js';
import type { HostState } from '../../domain/host-state.js';
import type { SnapPolicy } from '../../domain/policy.js';
import { conflictLines, planOne, planTree, snapshotSelector } from '../../domain/replication/index.js';
import type { PairOptions } from '../../domain/replication/plan-pair.js';
import type { PairPlan } from '../../domain/replication/types.js';
import { messageOf } from '../failures.js';
import type { ZfsCapabilities } from '../ports.js';
import type { SendJob } from './jobs.js';
import type { JobReport, PairReport } from './report.js';
import { resumeStates } from './resume.js';
import { destFacts } from './dest.js';
import { destPropsFor, jobSetup } from './setup.js';
import { type JobEnv, describePair, executePair } from './transfer.js';
import { type Pin, pinBases } from './holds.js';
import { markBases } from './bookmarks.js';
import { printCommand, runCommand, stepCommands } from './steps.js';
import type { RunEnv } from './env.js';

// One source tree to one destination: lock, look, plan, send pair by pair, pin the new bases.
export async function sendJob(run: RunEnv, job: SendJob): Promise<JobReport> {
  const { ctx, ports, o } = run;
  const label = `${run.where(job.source.endpoint, job.source.dataset)} → ${run.where(job.dest.endpoint, job.dest.dataset)}`;
  const base = { job, label, prelude: [] as string[], pairs: [] as PairReport[], holds: [] as string[], notes: [] as string[] };
  const problem = (message: string): JobReport => ({ ...base, status: 'failed', problem: message });
  const sameHost = endpointKey(job.source.endpoint) === endpointKey(job.dest.endpoint);
  if (sameHost && (isSelfOrDescendant(job.dest.dataset, job.source.dataset) || isSelfOrDescendant(job.source.dataset, job.dest.dataset))) {
    return problem('the destination lies inside the source tree (or the other way round)');
  }
  // The capability probes (cached per host) overlap the lock; the listings wait for it, so a run
  // that just finished receiving is seen.
  for (const e of [job.source.endpoint, job.dest.endpoint])
    ports
      .zfs(e)
      .capabilities()
      .catch(() => undefined);
  const lock = o.dryRun ? undefined : await ports.lock(`send-${lockName(job.dest.endpoint, job.dest.dataset)}`);
  if (lock && 'busy' in lock)
    return {
      ...base,
      status: 'busy',
      problem: `another holdfast send is replicating into ${run.where(job.dest.endpoint, job.dest.dataset)} (${lock.busy}); skipped`,
    };
  try {
    const setup = await jobSetup(run, job, base.notes);
    if ('problem' in setup) return problem(setup.problem);
    const { srcCaps, destCaps, srcState, destState, env } = setup;
    const resume = await resumeStates(
      destState,
      job.dest.dataset,
      job.source.dataset,
      srcCaps.resume ? ports.replication(job.source.endpoint) : undefined,
      ports,
    );
    const facts = await destFacts(ports.replication(job.dest.endpoint), destState, job.dest.dataset);
    // OpenZFS: the source's bookmarks, for a base destroyed there (zfs-fuse has none: no call).
    const bookmarks = srcCaps.bookmarks ? await ports.replication(job.source.endpoint).bookmarks([job.source.dataset]) : undefined;
    const options: PairOptions = {
      initial: job.options.initial,
      selected: snapshotSelector(job.options.sendTypes, destPolicy(run, job, base.notes)),
      force: job.options.force || o.force,
    };
    const tree = planTree({
      source: { endpoint: job.source.endpoint, root: job.source.dataset, state: srcState, ...(bookmarks ? { bookmarks } : {}) },
      dest: { endpoint: job.dest.endpoint, root: job.dest.dataset, state: destState, facts },
      excludes: job.options.exclude,
      autoCreate: job.options.autoCreate,
      resume,
      options,
    });
    if (tree.problem) return problem(tree.problem);
    const busy = setup.receiving(tree.pairs.map((p) => p.dest));
    if (busy)
      return {
        ...base,
        status: 'busy',
        problem: `a zfs receive into ${run.where(job.dest.endpoint, busy.dataset)} is running there (${busy.line}); skipped`,
      };
    const destOps = ports.replication(job.dest.endpoint);
    for (const step of tree.prelude) {
      if (step.kind !== 'create-parent') continue;
      for (const c of stepCommands(step, job.dest.dataset, env.tag)) {
        base.prelude.push(destOps.print(c));
        if (!o.dryRun) await runCommand(destOps, c);
      }
    }
    // Each pair starts once its parent's pair (the nearest one above it in the tree) is done:
    // a child's receive needs its parent there. Siblings and cousins go side by side.
    const failedDests = new Set<string>();
    const byDest = new Map<string, Promise<PairReport>>();
    const reports = tree.pairs.map((plan) => {
      const parent = nearestAbove(plan.dest, byDest);
      const p = (parent ?? Promise.resolve()).then(async () => {
        const r = await sendPair(run, env, plan, failedDests, destState, options);
        if (r.status === 'failed' || r.status === 'conflict') failedDests.add(plan.dest);
        return r;
      });
      byDest.set(plan.dest, p);
      return p;
    });
    base.pairs.push(...(await Promise.all(reports)));
    const pins: Pin[] = base.pairs.flatMap((p) => {
      const ok = p.status === 'sent' || p.status === 'up-to-date' || p.status === 'planned';
      const at = ok ? p.plan.newBase : p.reached;
      return at ? [{ plan: p.plan, base: at, changed: p.status !== 'up-to-date' }] : [];
    });
    // The bookmarks first: with hold_base = no they are what keeps the chain once the hold goes.
    const marked = bookmarks
      ? await markBases({ ops: ports.replication(job.source.endpoint), state: srcState, bookmarks }, env.bookmark, pins, o.dryRun)
      : undefined;
    const holdSource = job.options.holdBase || !bookmarks || (marked?.errors.length ?? 0) > 0;
    // Both sides at once: on an ssh destination each call is a round trip.
    const pinned = await Promise.all(
      (['source', 'dest'] as const).map((side) => {
        const e = job[side].endpoint;
        const caps: ZfsCapabilities = side === 'source' ? srcCaps : destCaps;
        const state = side === 'source' ? srcState : destState;
        return pinBases(
          {
            endpoint: e,
            state,
            caps,
            ops: ports.replication(e),
            tags: (s) => ports.zfs(e).holdTags(s),
            datasetOf: (p) => (side === 'source' ? p.source : p.dest),
            ...(side === 'dest' ? { destroyedBy: (p: PairPlan) => destroyedOnDest(p, destState) } : {}),
          },
          env.tag,
          pins,
          o.dryRun,
          side === 'dest' || holdSource,
        );
      }),
    );
    if (marked) pinned.unshift(marked);
    for (const p of pinned) {
      base.holds.push(...p.commands);
      for (const message of p.errors) ctx.log.event({ kind: 'pin-failed', job: label, message });
    }
    const bad = base.pairs.filter((p) => p.status === 'failed' || p.status === 'conflict');
    const status = bad.some((p) => p.status === 'failed') ? 'failed' : bad.length > 0 ? 'conflict' : 'ok';
    return { ...base, status };
  } catch (e) {
    return problem(messageOf(e));
  } finally {
    if (lock && 'release' in lock) lock.release();
  }
}

async function sendPair(
  run: RunEnv,
  env: JobEnv,
  plan: PairPlan,
  failedDests: ReadonlySet<string>,
  destState: HostState,
  options: PairOptions,
): Promise<PairReport> {
  const { ctx, o } = run;
  const { job } = env;
  const at = (ds: string) => run.where(job.dest.endpoint, ds);
  const report = (status: PairReport['status'], extra: Partial<PairReport> = {}): PairReport => ({
    plan,
    status,
    commands: [],
    transfers: [],
    attempts: 0,
    ...extra,
  });
  switch (plan.outcome) {
    case 'conflict':
      return report('conflict', { error: logConflict(run, plan) });
    case 'skip': {
      const s = plan.skip!;
      const why =
        s.kind === 'excluded'
          ? `excluded by "${s.pattern}"${s.matched !== plan.source ? ` (via ${s.matched})` : ''}`
          : s.kind === 'no-snapshots'
            ? 'no snapshots yet; it is sent once it has one'
            : s.kind === 'nothing-selected'
              ? 'no snapshot of a type the destination keeps (send_types = kept)'
              : `its destination parent ${at(s.parent)} is not there`;
      ctx.log.event({ kind: 'pair-skipped', dataset: run.where(job.source.endpoint, plan.source), reason: s.kind, why });
      return report('skipped', { error: why });
    }
    case 'up-to-date':
      ctx.log.event({
        kind: 'up-to-date',
        dataset: run.where(job.source.endpoint, plan.source),
        destination: at(plan.dest),
        snapshot: plan.newBase!,
      });
      return report('up-to-date');
    case 'send':
      break;
  }
  const parent = parentOf(plan.dest);
  if (parent && failedDests.has(parent) && !destState.datasets.has(parent)) {
    return report('failed', { error: `its destination parent ${at(parent)} was not received` });
  }
  for (const note of plan.notes) ctx.log.event({ kind: 'send-note', about: at(plan.dest), note });
  if (o.dryRun) return { ...report('planned'), ...(await describePair(env, plan)) };
  // From fresh listings; a destination the run's first listing lacked was made by our receive.
  const replan = async (): Promise<PairPlan> => {
    const [srcCaps, destCaps] = await Promise.all([
      run.ports.zfs(job.source.endpoint).capabilities(),
      run.ports.zfs(job.dest.endpoint).capabilities(),
    ]);
    const [s, d, bookmarks] = await Promise.all([
      run.ports.zfs(job.source.endpoint).listState([plan.source]),
      run.ports.zfs(job.dest.endpoint).listState([plan.dest], destPropsFor(destCaps)),
      srcCaps.bookmarks ? run.ports.replication(job.source.endpoint).bookmarks([plan.source]) : undefined,
    ]);
    const resume = await resumeStates(
      d,
      plan.dest,
      plan.source,
      srcCaps.resume ? run.ports.replication(job.source.endpoint) : undefined,
      run.ports,
    );
    const facts = await destFacts(run.ports.replication(job.dest.endpoint), d, plan.dest);
    const dest = { endpoint: job.dest.endpoint, root: plan.dest, state: d, facts };
    return planOne(
      {
        source: { endpoint: job.source.endpoint, root: plan.source, state: s, ...(bookmarks ? { bookmarks } : {}) },
        dest,
        resume,
        options,
      },
      plan.source,
      plan.dest,
      !destState.datasets.has(plan.dest),
    );
  };
  const release = await run.slots.acquire([endpointKey(job.source.endpoint), endpointKey(job.dest.endpoint)]);
  let result: PairReport;
  try {
    result = await executePair(env, plan, replan);
  } finally {
    release();
  }
  if (result.status === 'failed')
    ctx.log.event({
      kind: 'send-failed',
      dataset: run.where(job.source.endpoint, plan.source),
      destination: at(plan.dest),
      attempts: result.attempts,
      message: result.error ?? 'failed',
    });
  if (result.status === 'conflict' && result.plan.conflict) return { ...result, error: logConflict(run, result.plan) };
  return result;
}

// The conflict report in the log; the pair's one-line error.
function logConflict(run: RunEnv, plan: PairPlan): string {
  const { source, dest } = plan.conflict!.sides;
  const pair = { dataset: run.where(source.endpoint, source.dataset), destination: run.where(dest.endpoint, dest.dataset) };
  for (const line of conflictLines(plan.conflict!, printCommand(run.ports), run.where))
    run.ctx.log.event({ kind: 'conflict', ...pair, conflict: plan.conflict!.kind, line });
  return `conflict (${plan.conflict!.kind}): see the log for both sides and the commands that resolve it`;
}

// The destination's own policy (its section), for send_types = kept.
function destPolicy(run: RunEnv, job: SendJob, notes: string[]): SnapPolicy | undefined {
  if (job.options.sendTypes !== 'kept') return undefined;
  const policy = run.destPolicy(job.dest.endpoint, job.dest.dataset);
  if (!policy)
    notes.push(
      `send_types = kept, but ${run.where(job.dest.endpoint, job.dest.dataset)} has no section of its own: every snapshot is sent`,
    );
  return policy;
}

// The destination snapshots a pair's plan destroys: those named by a destroy step, or every one
// of a dataset a forced full receive replaces.
function destroyedOnDest(plan: PairPlan, destState: HostState): ReadonlySet<string> {
  const gone = new Set<string>();
  for (const s of plan.steps) {
    if (s.kind === 'destroy-dest') for (const n of s.snapshots) gone.add(n);
    if (s.kind === 'full' && s.force) for (const n of destState.datasets.get(plan.dest)?.snapshots ?? []) gone.add(n.name);
  }
  return gone;
}

// The promise of the nearest pair above `dest` in its tree, if any.
function nearestAbove<T>(dest: string, byDest: ReadonlyMap<string, T>): T | undefined {
  for (let p = parentOf(dest); p; p = parentOf(p)) {
    const found = byDest.get(p);
    if (found) return found;
  }
  return undefined;
}

// A lock file name per destination: readable, and unique by a short hash.
export function lockName(e: Endpoint, dataset: string): string {
  const key = `${endpointKey(e)}:${dataset}`;
  let h = 0;
  for (const c of key) h = (Math.imul(h, 31) + c.charCodeAt(0)) >>> 0;
  return `${key.replace(/[^A-Za-z0-9_.@-]+/g, '_').slice(0, 80)}-${h.toString(16)}`;
}
