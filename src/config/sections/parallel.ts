import type { PolicyResolver } from '../resolve.js';

// How many transfers a send run keeps in flight: in all, and touching one host ([DEFAULT]'s
// send_parallel and host_parallel). Measured on 2 cores with one zfs-fuse daemon (README,
// "Parallel transfers"): 4 in all, 2 per host.
export interface ParallelConfig {
  readonly total: number;
  readonly perHost: number;
}

export const DEFAULT_PARALLEL: ParallelConfig = { total: 4, perHost: 2 };

export function parallelConfig(r: PolicyResolver): ParallelConfig {
  const d = r.file.defaults.values;
  return { total: d.send_parallel?.value ?? DEFAULT_PARALLEL.total, perHost: d.host_parallel?.value ?? DEFAULT_PARALLEL.perHost };
}
