import { placeLabel } from '../../domain/endpoint.js';
import type { ZfsLocation } from '../../domain/location.js';
import { TREE_PROPS, type TreeRow, treeRows } from '../../domain/views/tree.js';
import type { AppContext } from '../context.js';
import { Listings, isError } from './listing.js';

export type TreeRole = 'source' | 'target' | 'given';

// One dataset tree to show: a section's dataset, a destination, or a location given by hand.
export interface TreeTarget {
  readonly location: ZfsLocation;
  readonly role: TreeRole;
  readonly section?: string;
}

export interface TreeView {
  readonly target: TreeTarget;
  readonly label: string; // "tank/data" or "ssh:22:root@nas:backup/data"
  readonly rows: readonly TreeRow[];
  readonly problem?: string;
}

// `holdfast tree`: every target's tree, one listing per host.
export async function runTree(ctx: AppContext, targets: readonly TreeTarget[]): Promise<TreeView[]> {
  const listings = new Listings(ctx, TREE_PROPS);
  for (const t of targets) listings.want(t.location.endpoint, t.location.dataset);
  const nowMs = ctx.clock.nowMs();
  const views: TreeView[] = [];
  for (const target of targets) {
    const { endpoint, dataset } = target.location;
    const label = placeLabel(endpoint, dataset);
    const state = await listings.get(endpoint);
    if (isError(state)) views.push({ target, label, rows: [], problem: state.error });
    else if (!state.datasets.has(dataset)) views.push({ target, label, rows: [], problem: `${dataset} does not exist` });
    else views.push({ target, label, rows: treeRows(state, [dataset], nowMs) });
  }
  return views;
}
