import type { ChainInfo } from './chain.js';
import type { Manifest } from './manifest.js';
import type { SourceSnap } from './select.js';

// One row of `holdfast status DEST` (z3's status): a snapshot that is on the source, in the
// store, or both, and what the store holds of it.
export interface StatusRow {
  readonly dataset: string;
  readonly snapshot: string;
  readonly local: boolean;
  readonly remote: boolean;
  readonly kind?: Manifest['kind'];
  readonly parent?: string;
  readonly bytes?: number; // stored bytes
  readonly streamBytes?: number;
  readonly ageSec?: number; // since the snapshot was taken
  readonly health: 'ok' | 'broken' | 'local-only';
  readonly problem?: string;
  readonly createtxg: number;
}

export interface DatasetStatus {
  readonly dataset: string;
  readonly rows: readonly StatusRow[]; // oldest first
  readonly broken: number; // stored snapshots whose chain is broken
}

// Join the source's snapshots (those the store would take) and the stored ones by name; the
// order is creation order on the source (createtxg, which the manifests record too).
export function datasetStatus(
  dataset: string,
  local: readonly SourceSnap[] | undefined,
  stored: ReadonlyMap<string, Manifest>,
  chains: ReadonlyMap<string, ChainInfo>,
  nowMs: number,
): DatasetStatus {
  const rows = new Map<string, StatusRow>();
  const localByName = new Map((local ?? []).map((s) => [s.name, s]));
  for (const m of stored.values()) {
    const c = chains.get(m.snapshot);
    const here = localByName.get(m.snapshot);
    const guidNote =
      here && here.guid !== m.guid ? `the source's @${m.snapshot} is another snapshot (guid ${here.guid}, stored ${m.guid})` : undefined;
    const problem = c?.healthy === false ? c.problem : guidNote;
    rows.set(m.snapshot, {
      dataset,
      snapshot: m.snapshot,
      local: here !== undefined && here.guid === m.guid,
      remote: true,
      kind: m.kind,
      ...(m.parent ? { parent: m.parent.snapshot } : {}),
      bytes: m.object.bytes,
      streamBytes: m.stream.bytes,
      ageSec: Math.max(0, Math.round((nowMs - Date.parse(m.created)) / 1000)),
      health: c?.healthy === false ? 'broken' : 'ok',
      ...(problem ? { problem } : {}),
      createtxg: m.createtxg,
    });
  }
  for (const s of local ?? []) {
    if (rows.has(s.name)) continue;
    rows.set(s.name, {
      dataset,
      snapshot: s.name,
      local: true,
      remote: false,
      ageSec: Math.max(0, Math.round((nowMs - s.createdMs) / 1000)),
      health: 'local-only',
      createtxg: s.createtxg,
    });
  }
  const sorted = [...rows.values()].sort((a, b) => a.createtxg - b.createtxg);
  return { dataset, rows: sorted, broken: sorted.filter((r) => r.health === 'broken').length };
}
