import { type StorePrunePlan, planStorePrune } from '../../domain/store/retention.js';
import type { StoreIndex } from '../../domain/store/dataset-index.js';
import { type Failure, messageOf } from '../failures.js';
import type { AppContext } from '../context.js';
import type { StoreTarget } from '../../config/sections/store.js';
import type { BlobStore } from './ports.js';

// Stream objects without a manifest younger than this may belong to an upload that is finishing
// on another host (one store prefix shared by two machines); older ones are garbage.
export const ORPHAN_GRACE_MS = 6 * 3600_000;

export interface StorePruneReport {
  readonly plans: readonly StorePrunePlan[];
  readonly deleted: readonly string[]; // keys
  readonly failures: readonly Failure[];
}

// The store's retention for every dataset in `index` (optionally only those under `root`).
export function planPrune(index: StoreIndex, cfg: StoreTarget, nowMs: number, only?: (dataset: string) => boolean): StorePrunePlan[] {
  return [...index.datasets.values()]
    .filter((d) => !only || only(d.dataset))
    .map((d) =>
      planStorePrune({
        dataset: d.dataset,
        stored: d.stored,
        chains: d.chains,
        unreadable: new Set(d.unreadable.keys()),
        streams: d.streams,
        policy: cfg.policy,
        nowMs,
        orphanGraceMs: ORPHAN_GRACE_MS,
      }),
    );
}

// Execute the plans in order: each doomed manifest alone (newest first, so a prune that stops
// half-way leaves only complete chains behind), then the objects in batches.
export async function executePrune(ctx: AppContext, store: BlobStore, plans: readonly StorePrunePlan[]): Promise<StorePruneReport> {
  const deleted: string[] = [];
  const failures: Failure[] = [];
  for (const p of plans) {
    if (p.deletes.length === 0) continue;
    try {
      const manifests = p.deletes.filter((d) => d.key.startsWith('manifests/'));
      for (const d of manifests) {
        await store.delete([d.key]);
        deleted.push(d.key);
      }
      const rest = p.deletes.filter((d) => !d.key.startsWith('manifests/')).map((d) => d.key);
      if (rest.length > 0) await store.delete(rest);
      deleted.push(...rest);
      const snaps = p.verdicts.filter((v) => !v.keep).length;
      ctx.log.event({ kind: 'pruned', destination: store.url, dataset: p.dataset, snapshots: snaps, objects: p.deletes.length });
    } catch (e) {
      const failure = { target: `${store.url} ${p.dataset}`, stage: 'prune', message: messageOf(e) };
      failures.push(failure);
      ctx.log.event({ kind: 'failed', ...failure });
    }
  }
  return { plans, deleted, failures };
}
