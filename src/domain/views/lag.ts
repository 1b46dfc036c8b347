import type { Snapshot } from '../snapshot.js';
import { createdOf } from './tree.js';

// How far a replica is behind its source. The snapshots "missing" on the destination are the
// source's snapshots newer than the common base (or all of them without a base): what the next
// send would carry. The lag is the age of the OLDEST of them, i.e. how long the source's data
// has been waiting for replication; 0 when the destination has the source's newest snapshot.
// (The age of the newest missing one is reported too, but a stalled send keeps it near zero
// while the source snapshots every 15 minutes, so it cannot be what an alert watches.)
export interface Lag {
  readonly sec: number;
  readonly behind: number; // how many snapshots the destination lacks
  readonly oldestMissing?: string;
  readonly newestMissing?: string;
  readonly newestMissingSec?: number;
}

export function lagOf(source: readonly Snapshot[], base: { createtxg: number } | undefined, nowSec: number): Lag {
  const missing = base ? source.filter((s) => s.createtxg > base.createtxg) : [...source];
  const oldest = missing[0];
  const newest = missing[missing.length - 1];
  if (!oldest || !newest) return { sec: 0, behind: 0 };
  const age = (s: Snapshot): number => {
    const c = createdOf(s);
    return c === undefined ? Number.NaN : Math.max(0, nowSec - c);
  };
  return {
    sec: age(oldest),
    behind: missing.length,
    oldestMissing: oldest.name,
    newestMissing: newest.name,
    newestMissingSec: age(newest),
  };
}
