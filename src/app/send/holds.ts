import type { Endpoint } from '../../domain/endpoint.js';
import type { HostState } from '../../domain/host-state.js';
import type { PairPlan } from '../../domain/replication/types.js';
import type { ZfsHoldCommand } from '../../domain/zfs-command.js';
import type { ZfsCapabilities } from '../ports.js';
import type { ReplicationOps } from './ports.js';

export interface HoldSide {
  readonly endpoint: Endpoint;
  readonly state: HostState; // as listed before the transfers
  readonly caps: ZfsCapabilities;
  readonly ops: ReplicationOps;
  readonly tags: (snapshots: readonly string[]) => Promise<ReadonlyMap<string, readonly string[]>>;
  readonly datasetOf: (p: PairPlan) => string; // the pair's dataset on this side
  readonly destroyedBy?: (p: PairPlan) => ReadonlySet<string>; // snapshots its plan destroys on this side (--force)
}

// Pin each pair's new base on one side with the destination's tag, then drop the tag from the
// previous bases: hold first, so a run killed in between leaves two bases held, never none.
// One `zfs hold` and one `zfs release` per side per destination, whatever the tree's size.
// A pair's snapshot now common to both sides; `changed`: this run transferred it.
export interface Pin {
  readonly plan: PairPlan;
  readonly base: string;
  readonly changed: boolean;
}

// hold = false (hold_base = no, on a source with bookmarks): hold nothing, release every base
// this tag still holds there; the bookmark made before keeps the chain.
export async function pinBases(
  side: HoldSide,
  tag: string,
  pins: readonly Pin[],
  dryRun: boolean,
  holding = true,
): Promise<{ commands: string[]; errors: string[] }> {
  const commands: string[] = [];
  const errors: string[] = [];
  const toHold: string[] = [];
  const candidates: string[] = [];
  for (const p of pins) {
    const ds = side.datasetOf(p.plan);
    const snaps = side.state.datasets.get(ds)?.snapshots ?? [];
    const current = snaps.find((s) => s.name === p.base);
    // Unchanged and already held (by us, as far as zfs-fuse can tell), or unchanged and gone
    // from this side (a source base destroyed, its bookmark keeping the chain): nothing to do.
    if (!holding) {
      for (const s of snaps) if (s.userrefs > 0) candidates.push(`${ds}@${s.name}`);
      continue;
    }
    if (!p.changed && (!current || current.userrefs > 0)) continue;
    toHold.push(`${ds}@${p.base}`);
    // A snapshot the pair's own steps destroyed is gone, its hold with it: nothing to release.
    const gone = side.destroyedBy?.(p.plan);
    for (const s of snaps) if (s.userrefs > 0 && s.name !== p.base && !gone?.has(s.name)) candidates.push(`${ds}@${s.name}`);
  }
  const toRelease = await ours(side, tag, candidates);
  const hold: ZfsHoldCommand = { op: 'hold', tag, snapshots: toHold };
  const release: ZfsHoldCommand = { op: 'release', tag, snapshots: toRelease };
  if (toHold.length > 0) commands.push(side.ops.print(hold));
  if (toRelease.length > 0) commands.push(side.ops.print(release));
  if (dryRun) return { commands, errors };
  const held = toHold.length > 0 ? await side.ops.batch(hold) : { failed: [] };
  for (const f of held.failed) errors.push(`cannot hold ${f.target}: ${f.error.message}`);
  if (held.failed.length === 0 && toRelease.length > 0) {
    const released = await side.ops.batch(release);
    for (const f of released.failed) errors.push(`cannot release ${f.target}: ${f.error.message}`);
  }
  return { commands, errors };
}

// The candidates that carry our tag: OpenZFS can list tags (one `zfs holds`); zfs-fuse cannot,
// so every held candidate is tried and "no such tag" is fine.
async function ours(side: HoldSide, tag: string, candidates: readonly string[]): Promise<string[]> {
  if (candidates.length === 0 || !side.caps.holdsList) return [...candidates];
  const tags = await side.tags(candidates);
  return candidates.filter((c) => tags.get(c)?.includes(tag));
}
