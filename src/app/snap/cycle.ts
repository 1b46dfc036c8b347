import { type CleanPlan, planClean } from '../../domain/snap/clean.js';
import { noteBookmarked } from '../../domain/snap/bookmarked.js';
import { type Endpoint, endpointKey, placeLabel } from '../../domain/endpoint.js';
import type { HostState } from '../../domain/host-state.js';
import type { SnapPolicy } from '../../domain/policy.js';
import { type TakePlan, planTake } from '../../domain/snap/take.js';
import { TreeIndex, type TreeKind, type TreeSection } from '../../config/sections/tree.js';
import { changeProps, changeSkips } from './changed.js';
import type { AppContext } from '../context.js';
import { type Failure, messageOf } from '../failures.js';
import type { StoreCapabilities } from '../ports.js';
import { destroyedEvent, tookEvent } from './log.js';
import { applyTaken, applyDestroyed } from './virtual-state.js';
import { hookedSections, postSnapshotHooks, preSnapshotHooks } from './hooks.js';

export interface SnapOptions {
  readonly take: boolean;
  readonly clean: boolean;
}

// What one host's part of a snap run planned and did.
export interface HostSnapReport {
  readonly kind: TreeKind;
  readonly endpoint: Endpoint;
  readonly capabilities?: StoreCapabilities;
  readonly policies: ReadonlyMap<string, SnapPolicy>;
  readonly take?: TakePlan;
  readonly clean?: CleanPlan;
  readonly commands: readonly string[]; // every mutating zfs command, printable
  readonly taken: number; // dataset@snapshot created
  readonly destroyed: number;
  readonly unchanged?: number; // datasets skipped by snap_if_changed
}

export interface SnapReport {
  readonly hosts: readonly HostSnapReport[];
  readonly failures: readonly Failure[];
}

// `holdfast snap`: per host, list everything once, plan takes, run them, plan cleans against
// the state the takes left, run those. Under --dry-run the same plans are computed against a
// virtual state and nothing runs. A failed dataset or host never stops the others.
// `trees` are the sections to work on (every one, or the destinations send cleans).
export async function runSnap(ctx: AppContext, trees: readonly TreeSection[], opts: SnapOptions): Promise<SnapReport> {
  const index = new TreeIndex(trees);
  const hosts: HostSnapReport[] = [];
  const failures: Failure[] = [];
  for (const [, group] of sectionsByHost(trees)) {
    const { kind, endpoint } = group[0]!;
    try {
      hosts.push(await snapHost(ctx, index, kind, endpoint, group, opts, failures));
    } catch (e) {
      // The whole host failed (unreachable, no zfs/btrfs): every section on it is named.
      ctx.log.event({ kind: 'host-failed', tree: kind, host: placeLabel(endpoint), message: messageOf(e) });
      for (const s of group) failures.push({ target: s.name, stage: 'list', message: messageOf(e) });
    }
  }
  return { hosts, failures };
}

async function snapHost(
  ctx: AppContext,
  index: TreeIndex,
  kind: TreeKind,
  endpoint: Endpoint,
  sections: readonly TreeSection[],
  opts: SnapOptions,
  failures: Failure[],
): Promise<HostSnapReport> {
  const host = ctx.snapshots(kind, endpoint);
  const active = sections.filter((s) => (opts.take && s.policy.snap) || (opts.clean && s.policy.clean));
  const commands: string[] = [];
  if (active.length === 0) return { kind, endpoint, policies: new Map(), commands, taken: 0, destroyed: 0 };
  const caps = await host.capabilities();
  let state = await host.listState(
    active.map((s) => s.dataset),
    opts.take ? changeProps(active, caps) : [],
  );
  // A configured dataset that is not there (listed roots report it; nested ones are absent).
  for (const s of active) {
    const d = s.dataset;
    const what = kind === 'zfs' ? 'dataset' : 'subvolume';
    if (!state.datasets.has(d))
      failures.push({
        target: placeLabel(endpoint, d),
        stage: 'list',
        message: `${what} ${d} does not exist (section [${s.name}], line ${s.line})`,
      });
  }
  for (const f of failures) ctx.log.event({ kind: 'failed', ...f });
  const policies = new Map<string, SnapPolicy>();
  const mine = new Set(sections);
  for (const name of state.datasets.keys()) {
    const s = index.governing(endpoint, name, kind);
    if (s && mine.has(s)) policies.set(name, s.policy);
  }
  let take: TakePlan | undefined;
  let taken = 0;
  let unchanged = 0;
  if (opts.take) {
    const skip = changeSkips(index, kind, endpoint, state, new Set([...policies].filter(([, p]) => p.snap).map(([d]) => d)), caps, ctx.log);
    const nowMs = ctx.clock.nowMs();
    take = planTake(state, policies, nowMs, caps, skip);
    unchanged = new Set(take.decisions.filter((d) => d.unchanged).map((d) => d.dataset)).size;
    // Consistency hooks run around the snapshot calls, never in a dry run.
    const hooked = ctx.dryRun ? [] : hookedSections(take, index, kind, endpoint, mine);
    const pre = await preSnapshotHooks(ctx, endpoint, hooked, failures);
    if (pre.skipped.size > 0) take = planTake(state, without(policies, pre.skipped), nowMs, caps, skip);
    try {
      for (const batch of take.batches) {
        commands.push(ctx.printable(endpoint, host.argvFor(batch)));
        const done = ctx.dryRun ? batch.covers : await record(host.snapshot(batch), endpoint, 'take', failures, ctx);
        taken += done.length;
        state = applyTaken(state, batch.snapName, done);
        if (!ctx.dryRun && done.length > 0) ctx.log.event(tookEvent(batch, done, (d) => placeLabel(endpoint, d)));
      }
    } finally {
      await postSnapshotHooks(ctx, endpoint, pre.ran, pre.skippedSections, failures);
    }
  }
  let clean: CleanPlan | undefined;
  let destroyed = 0;
  if (opts.clean) {
    const protections = ctx.protections ? await ctx.protections(kind, endpoint) : new Map();
    clean = planClean(state, policies, protections, caps);
    // A dry run (plan, --explain) says which bases a bookmark of send's keeps (hold_base = no).
    if (ctx.dryRun && host.bookmarks) {
      const marks = await host.bookmarks(active.map((s) => s.dataset));
      if (marks.size > 0) clean = { ...clean, datasets: noteBookmarked(clean.datasets, marks) };
    }
    for (const batch of clean.batches) {
      commands.push(ctx.printable(endpoint, host.argvFor(batch)));
      const done = ctx.dryRun
        ? batch.covers.map((c) => `${c.dataset}@${c.name}`)
        : await record(host.destroy(batch), endpoint, 'clean', failures, ctx);
      destroyed += done.length;
      state = applyDestroyed(state, done);
      if (!ctx.dryRun && done.length > 0) ctx.log.event(destroyedEvent(batch, done, (d) => placeLabel(endpoint, d)));
    }
  }
  return {
    kind,
    endpoint,
    capabilities: caps,
    policies,
    ...(take ? { take } : {}),
    ...(clean ? { clean } : {}),
    commands,
    taken,
    destroyed,
    ...(unchanged ? { unchanged } : {}),
  };
}

// Run one batch; failures are recorded per dataset and the run goes on.
async function record(
  outcome: Promise<{ ok: readonly string[]; failed: readonly { target: string; error: Error }[] }>,
  endpoint: Endpoint,
  stage: string,
  failures: Failure[],
  ctx: AppContext,
): Promise<readonly string[]> {
  const r = await outcome;
  for (const f of r.failed) {
    const failure = { target: placeLabel(endpoint, f.target), stage, message: f.error.message };
    failures.push(failure);
    ctx.log.event({ kind: 'failed', ...failure });
  }
  return r.ok;
}

// The policies minus the datasets a failed pre_snapshot_command took out of the run.
function without(policies: ReadonlyMap<string, SnapPolicy>, skipped: ReadonlySet<string>): Map<string, SnapPolicy> {
  return new Map([...policies].filter(([d]) => !skipped.has(d)));
}

// Sections per snapshot store: one listing and one capability probe each.
function sectionsByHost(sections: readonly TreeSection[]): Map<string, TreeSection[]> {
  const groups = new Map<string, TreeSection[]>();
  for (const s of sections) {
    const k = `${s.kind}:${endpointKey(s.endpoint)}`;
    groups.set(k, [...(groups.get(k) ?? []), s]);
  }
  return groups;
}

export type { HostState };
