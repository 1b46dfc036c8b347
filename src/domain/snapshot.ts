import type { ParsedSnapshotName } from './snapshot-name.js';

// One snapshot as listed from a host, in the terms the domain needs.
export interface Snapshot {
  readonly dataset: string;
  readonly name: string; // the part after "@"
  readonly createtxg: number; // creation order: "newest" always means highest createtxg
  readonly guid: string;
  readonly userrefs: number; // number of holds (0 when none)
  readonly holdTags?: readonly string[]; // known only where `zfs holds` works (OpenZFS)
  readonly props?: Readonly<Record<string, string>>; // every listed property, raw (-p): creation, used, …
}

// A snapshot in holdfast's name format, with its parsed name.
export interface ManagedSnapshot extends Snapshot {
  readonly parsed: ParsedSnapshotName;
}

export const fullName = (s: { dataset: string; name: string }): string => `${s.dataset}@${s.name}`;

// Oldest first, by creation order (what `zfs list -s createtxg` gives).
export const byCreation = (a: Snapshot, b: Snapshot): number => a.createtxg - b.createtxg;
