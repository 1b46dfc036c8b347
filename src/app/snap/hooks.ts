import type { SnapshotHooks } from '../../config/sections/hooks.js';
import type { TreeIndex, TreeKind, TreeSection } from '../../config/sections/tree.js';
import { type Endpoint, placeLabel } from '../../domain/endpoint.js';
import type { TakePlan } from '../../domain/snap/take.js';
import type { AppContext } from '../context.js';
import type { Failure } from '../failures.js';
import { hookEnv, runHook } from '../hooks/run.js';

// A section with hooks whose datasets get snapshots in this run: what its hooks are told.
export interface HookedSection {
  readonly section: TreeSection & { readonly hooks: SnapshotHooks };
  readonly datasets: readonly string[];
  readonly env: Readonly<Record<string, string>>;
}

// The sections with hooks that have a due snapshot, each once, with every dataset it governs
// that gets one (a section's hooks run once per run, around the snapshot calls).
export function hookedSections(
  take: TakePlan,
  index: TreeIndex,
  kind: TreeKind,
  endpoint: Endpoint,
  mine: ReadonlySet<TreeSection>,
): HookedSection[] {
  const by = new Map<TreeSection, { datasets: Set<string>; snapshots: Set<string>; types: Set<string> }>();
  for (const d of take.decisions) {
    if (!d.due || !d.snapName) continue;
    const s = index.governing(endpoint, d.dataset, kind);
    if (!s?.hooks || !mine.has(s)) continue;
    const e = by.get(s) ?? { datasets: new Set(), snapshots: new Set(), types: new Set() };
    e.datasets.add(d.dataset);
    e.snapshots.add(`${d.dataset}@${d.snapName}`);
    e.types.add(d.type);
    by.set(s, e);
  }
  return [...by].map(([s, e]) => ({
    section: s as HookedSection['section'],
    datasets: [...e.datasets],
    env: hookEnv({
      SECTION: s.name,
      HOST: endpoint.kind === 'local' ? '' : placeLabel(endpoint),
      DATASETS: [...e.datasets],
      SNAPSHOTS: [...e.snapshots],
      TYPES: [...e.types],
    }),
  }));
}

// Every pre_snapshot_command, in section order. A failed one with pre_snapshot_failure = skip
// takes its section's datasets out of the run (a failure named in the summary); with
// `snapshot` the run snapshots anyway. `ran`: the sections whose post command must run.
export async function preSnapshotHooks(
  ctx: AppContext,
  endpoint: Endpoint,
  hooked: readonly HookedSection[],
  failures: Failure[],
): Promise<{ ran: HookedSection[]; skipped: Set<string>; skippedSections: Set<HookedSection> }> {
  const ran: HookedSection[] = [];
  const skipped = new Set<string>();
  const skippedSections = new Set<HookedSection>();
  for (const h of hooked) {
    const { hooks } = h.section;
    ran.push(h);
    if (!hooks.pre) continue;
    const skip = hooks.onPreFailure === 'skip';
    const then = skip ? `no snapshot of [${hooks.section}] this run` : 'snapshotting anyway (pre_snapshot_failure = snapshot)';
    const why = await runHook(ctx, 'pre_snapshot_command', hooks, hooks.pre, h.env, then);
    if (why === undefined || !skip) continue;
    failures.push({ target: placeLabel(endpoint, h.section.dataset), stage: 'pre_snapshot_command', message: why });
    skippedSections.add(h);
    for (const d of h.datasets) skipped.add(d);
  }
  return { ran, skipped, skippedSections };
}

// Every post_snapshot_command whose section's pre command ran (or that has none), even when the
// snapshot failed or was skipped: a frozen database is always thawed. HOLDFAST_SNAPSHOT_STATUS
// says how the section's snapshots went: ok, failed or skipped.
export async function postSnapshotHooks(
  ctx: AppContext,
  endpoint: Endpoint,
  ran: readonly HookedSection[],
  skippedSections: ReadonlySet<HookedSection>,
  failures: Failure[],
): Promise<void> {
  for (const h of ran) {
    const { hooks } = h.section;
    if (!hooks.post) continue;
    const mine = new Set(h.datasets.map((d) => placeLabel(endpoint, d)));
    const status = skippedSections.has(h) ? 'skipped' : failures.some((f) => f.stage === 'take' && mine.has(f.target)) ? 'failed' : 'ok';
    const why = await runHook(ctx, 'post_snapshot_command', hooks, hooks.post, { ...h.env, HOLDFAST_SNAPSHOT_STATUS: status });
    if (why !== undefined) failures.push({ target: placeLabel(endpoint, h.section.dataset), stage: 'post_snapshot_command', message: why });
  }
}
