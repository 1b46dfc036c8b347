import type { HostState } from '../../domain/host-state.js';

// The state after our own actions, without listing again: new snapshots are the newest on
// their datasets, destroyed ones are gone. Dry runs plan against it exactly like real runs.
export function applyTaken(state: HostState, snapName: string, datasets: readonly string[]): HostState {
  if (datasets.length === 0) return state;
  let txg = 0;
  for (const ds of state.datasets.values()) for (const s of ds.snapshots) txg = Math.max(txg, s.createtxg);
  const next = new Map(state.datasets);
  for (const d of datasets) {
    const ds = next.get(d);
    if (!ds) continue;
    next.set(d, { ...ds, snapshots: [...ds.snapshots, { dataset: d, name: snapName, createtxg: txg + 1, guid: '', userrefs: 0 }] });
  }
  return { ...state, datasets: next };
}

export function applyDestroyed(state: HostState, fullNames: readonly string[]): HostState {
  if (fullNames.length === 0) return state;
  const gone = new Set(fullNames);
  const next = new Map(state.datasets);
  for (const [name, ds] of next) {
    if (ds.snapshots.some((s) => gone.has(`${name}@${s.name}`))) {
      next.set(name, { ...ds, snapshots: ds.snapshots.filter((s) => !gone.has(`${name}@${s.name}`)) });
    }
  }
  return { ...state, datasets: next };
}
