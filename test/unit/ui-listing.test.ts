import { describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/app/context.js';
import type { SnapshotHost } from '../../src/app/ports.js';
import { sharedListings } from '../../src/app/views/shared-listing.js';
import type { DatasetState, HostState } from '../../src/domain/host-state.js';

// The overview's one listing per host: later listings inside an earlier one are answered from it.

const names = ['tank/a', 'tank/a/x', 'tank/b', 'tank/bb'];
const calls: { roots: readonly string[]; props: readonly string[] }[] = [];
const host = {
  endpoint: { kind: 'local' },
  listState: async (roots: readonly string[], props: readonly string[] = []): Promise<HostState> => {
    calls.push({ roots, props });
    const datasets = new Map<string, DatasetState>();
    for (const n of names)
      if (roots.some((r) => n === r || n.startsWith(`${r}/`))) datasets.set(n, { name: n, type: 'filesystem', snapshots: [], props: {} });
    return { datasets, missing: roots.filter((r) => !datasets.has(r)) };
  },
} as unknown as SnapshotHost;
const ctx = { snapshots: () => host } as unknown as AppContext;

describe('sharedListings', () => {
  it('lists a host once with every view property, then answers listings inside it', async () => {
    const shared = sharedListings(ctx, ['creation', 'used']).snapshots('zfs', { kind: 'local' });
    const first = await shared.listState(['tank/a', 'tank/b'], ['creation']);
    expect([...first.datasets.keys()]).toEqual(['tank/a', 'tank/a/x', 'tank/b']);
    const inner = await shared.listState(['tank/a/x', 'tank/a/gone'], ['used']);
    expect([...inner.datasets.keys()]).toEqual(['tank/a/x']);
    expect(inner.missing).toEqual(['tank/a/gone']);
    expect(calls).toEqual([{ roots: ['tank/a', 'tank/b'], props: ['creation', 'used'] }]);
    await shared.listState(['tank/bb']); // not inside: listed
    await shared.listState(['tank/a'], ['written']); // a property it lacks: listed
    expect(calls.length).toBe(3);
  });
});
