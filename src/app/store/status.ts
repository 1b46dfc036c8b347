import { LOCAL, type Endpoint, endpointKey } from '../../domain/endpoint.js';
import { isSelfOrDescendant } from '../../domain/dataset-name.js';
import type { StorePrunePlan } from '../../domain/store/retention.js';
import { storeSelector, type SourceSnap } from '../../domain/store/select.js';
import { type DatasetStatus, datasetStatus } from '../../domain/store/status.js';
import type { AppContext } from '../context.js';
import { messageOf } from '../failures.js';
import type { StoreTarget } from '../../config/sections/store.js';
import type { StorePorts } from './ports.js';
import { planPrune } from './prune.js';
import { readStoreIndex } from './read.js';

export interface StatusInput {
  readonly ctx: AppContext;
  readonly ports: StorePorts;
  readonly config: StoreTarget;
  readonly dataset?: string; // only this dataset and its children
  readonly sources: readonly { endpoint: Endpoint; root: string }[]; // where the local side lives
  readonly explain: boolean;
}

export interface StoreStatus {
  readonly url: string;
  readonly config: StoreTarget;
  readonly datasets: readonly DatasetStatus[];
  readonly unreadable: readonly { key: string; problem: string }[]; // damaged manifests
  readonly foreign: number; // objects holdfast did not write
  readonly prune?: readonly StorePrunePlan[]; // --explain: what a prune would keep, and why
  readonly localProblem?: string; // the source could not be listed: "local" is unknown
}

// `holdfast status DEST` (z3's status): every snapshot on the source or in the store, its
// presence on each side, and the health of its stored chain.
export async function storeStatus(s: StatusInput): Promise<StoreStatus> {
  const { ctx, ports, config: cfg } = s;
  const store = await ports.openStore(cfg.location, { s3: cfg.s3 });
  try {
    const index = await readStoreIndex(store, s.dataset);
    const wanted = [...index.datasets.keys()];
    const local = new Map<string, readonly SourceSnap[]>();
    let localProblem: string | undefined;
    const hosts = s.sources.length > 0 ? s.sources : wanted.length > 0 ? [{ endpoint: LOCAL, root: '' }] : [];
    for (const [, group] of groupBy(hosts, (h) => endpointKey(h.endpoint))) {
      const roots = wanted.filter((d) => group.some((h) => h.root === '' || isSelfOrDescendant(d, h.root)));
      if (roots.length === 0) continue;
      try {
        const listed = await ports.listSnapshots(group[0]!.endpoint, roots);
        for (const [ds, snaps] of listed.datasets) local.set(ds, snaps);
      } catch (e) {
        localProblem = messageOf(e);
        ctx.log.event({ kind: 'source-unlisted', destination: cfg.url, message: localProblem });
      }
    }
    const select = storeSelector({ ...(cfg.snapshotPrefix ? { snapshotPrefix: cfg.snapshotPrefix } : {}), policy: cfg.policy });
    const names = new Set([...wanted, ...[...local.keys()].filter((d) => !s.dataset || isSelfOrDescendant(d, s.dataset))]);
    const now = ctx.clock.nowMs();
    const datasets = [...names].sort().map((ds) => {
      const d = index.datasets.get(ds);
      const mine = local.get(ds)?.filter(select);
      return datasetStatus(ds, mine, d?.stored ?? new Map(), d?.chains ?? new Map(), now);
    });
    const unreadable = [...index.datasets.values()].flatMap((d) =>
      [...d.unreadable].map(([snap, problem]) => ({ key: `${d.dataset}@${snap}`, problem })),
    );
    return {
      url: cfg.url,
      config: cfg,
      datasets,
      unreadable,
      foreign: index.foreign.length,
      ...(s.explain ? { prune: planPrune(index, cfg, now) } : {}),
      ...(localProblem ? { localProblem } : {}),
    };
  } finally {
    await store.close().catch(() => undefined);
  }
}

// A store is healthy when no stored chain is broken and every manifest can be read.
export const statusHealthy = (st: StoreStatus): boolean => st.datasets.every((d) => d.broken === 0) && st.unreadable.length === 0;

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const i of items) out.set(key(i), [...(out.get(key(i)) ?? []), i]);
  return out;
}
