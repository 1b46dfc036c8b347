import type { DatasetState, HostState } from '../../src/domain/host-state.js';
import type { SnapPolicy } from '../../src/domain/policy.js';
import type { Snapshot } from '../../src/domain/snapshot.js';

// Build a HostState from a compact description: dataset → snapshot names (oldest first).
// Snapshot createtxg follows the order given; "name!" marks a held snapshot.
export function hostState(spec: Record<string, readonly string[]>): HostState {
  let txg = 1;
  const datasets = new Map<string, DatasetState>();
  for (const [name, snaps] of Object.entries(spec)) {
    const snapshots: Snapshot[] = snaps.map((s) => {
      const held = s.endsWith('!');
      return { dataset: name, name: held ? s.slice(0, -1) : s, createtxg: txg++, guid: String(txg * 7919), userrefs: held ? 1 : 0 };
    });
    datasets.set(name, { name, type: 'filesystem', snapshots, props: {} });
  }
  return { datasets, missing: [] };
}

export function policy(p: Partial<SnapPolicy> = {}): SnapPolicy {
  return {
    counts: {},
    snap: true,
    clean: true,
    prefix: 'holdfast',
    adopt: [],
    zone: 'UTC',
    guardedTypes: new Map(),
    section: 'test',
    ...p,
  };
}

// "holdfast_2020-01-01_10:00:00_hourly" from ("2020-01-01 10:00", "hourly").
export function sn(when: string, type: string, prefix = 'holdfast'): string {
  const [d, t] = when.split(' ');
  return `${prefix}_${d}_${t!.length === 5 ? `${t}:00` : t}_${type}`;
}
