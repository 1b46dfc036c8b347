import { type Endpoint, endpointKey } from '../../domain/endpoint.js';
import type { DatasetState, HostState } from '../../domain/host-state.js';
import type { TreeKind } from '../../config/sections/tree.js';
import type { AppContext } from '../context.js';
import type { SnapshotHost } from '../ports.js';

// Several views on one page (the UI's overview: tree, compare, monitor) from one listing per
// host: the first listing of a host takes the properties every view asks for (`props`); a
// later one whose roots lie inside an earlier one's, with no property beyond it, is answered
// from it. Listings are recursive, so a root's subtree is all there; a root inside a listed one
// that is not there does not exist.
export function sharedListings(ctx: AppContext, props: readonly string[]): AppContext {
  const hosts = new Map<string, SnapshotHost>();
  return {
    ...ctx,
    snapshots: (kind: TreeKind, e: Endpoint): SnapshotHost => {
      if (kind !== 'zfs') return ctx.snapshots(kind, e);
      const k = endpointKey(e);
      let h = hosts.get(k);
      if (!h) hosts.set(k, (h = sharing(ctx.snapshots(kind, e), props)));
      return h;
    },
  };
}

interface Listed {
  readonly roots: readonly string[];
  readonly props: ReadonlySet<string>;
  readonly state: Promise<HostState>;
}

function sharing(host: SnapshotHost, always: readonly string[]): SnapshotHost {
  const listed: Listed[] = [];
  const listState = async (roots: readonly string[], extra: readonly string[] = []): Promise<HostState> => {
    const hit = listed.find((l) => extra.every((p) => l.props.has(p)) && roots.every((r) => l.roots.some((x) => within(r, x))));
    if (hit) return narrow(await hit.state, roots);
    const props = [...new Set([...always, ...extra])];
    const state = host.listState(roots, props);
    listed.push({ roots, props: new Set(props), state });
    return state;
  };
  return {
    endpoint: host.endpoint,
    capabilities: () => host.capabilities(),
    listState,
    snapshot: (b) => host.snapshot(b),
    destroy: (b) => host.destroy(b),
    holdTags: (s) => host.holdTags(s),
    argvFor: (b) => host.argvFor(b),
  };
}

const within = (name: string, root: string): boolean => name === root || name.startsWith(`${root}/`);

// What a listing of `roots` alone would have returned.
function narrow(state: HostState, roots: readonly string[]): HostState {
  const datasets = new Map<string, DatasetState>();
  for (const [name, ds] of state.datasets) if (roots.some((r) => within(name, r))) datasets.set(name, ds);
  return { datasets, missing: roots.filter((r) => !state.datasets.has(r)) };
}
