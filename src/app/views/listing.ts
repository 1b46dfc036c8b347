import { type Endpoint, endpointKey } from '../../domain/endpoint.js';
import type { HostState } from '../../domain/host-state.js';
import type { AppContext } from '../context.js';
import { messageOf } from '../failures.js';

// Listings for the read-only views: one `zfs get` per host for every root wanted there, with the
// extra properties the view needs. A host that fails is an error for its trees only.
export class Listings {
  private readonly wanted = new Map<string, { endpoint: Endpoint; roots: Set<string> }>();
  private readonly done = new Map<string, Promise<HostState | { error: string }>>();

  constructor(
    private readonly ctx: AppContext,
    private readonly props: readonly string[],
  ) {}

  // Say every root first, so each host is listed once.
  want(endpoint: Endpoint, root: string): void {
    const k = endpointKey(endpoint);
    const w = this.wanted.get(k) ?? { endpoint, roots: new Set<string>() };
    w.roots.add(root);
    this.wanted.set(k, w);
  }

  get(endpoint: Endpoint): Promise<HostState | { error: string }> {
    const k = endpointKey(endpoint);
    let p = this.done.get(k);
    if (!p) {
      const roots = [...(this.wanted.get(k)?.roots ?? [])];
      const host = this.ctx.snapshots('zfs', endpoint);
      p = host.listState(roots, this.props).catch((e: unknown) => ({ error: messageOf(e) }));
      this.done.set(k, p);
    }
    return p;
  }
}

export const isError = (s: HostState | { error: string }): s is { error: string } => 'error' in s;
