import { ManagedName, type ParsedSnapshotName } from './snapshot-name.js';

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

// The snapshot seen as managed by a policy with these prefixes, or undefined. A view of the
// listed snapshot, not a copy of it: clean makes one per snapshot, a million at a time.
export function asManaged(s: Snapshot, prefixes: readonly string[]): ManagedSnapshot | undefined {
  const parsed = ManagedName.of(s.name, prefixes);
  return parsed && new Managed(s, parsed);
}

class Managed implements ManagedSnapshot {
  constructor(
    private readonly snapshot: Snapshot,
    readonly parsed: ParsedSnapshotName,
  ) {}
  get dataset(): string {
    return this.snapshot.dataset;
  }
  get name(): string {
    return this.snapshot.name;
  }
  get createtxg(): number {
    return this.snapshot.createtxg;
  }
  get guid(): string {
    return this.snapshot.guid;
  }
  get userrefs(): number {
    return this.snapshot.userrefs;
  }
  get holdTags(): readonly string[] | undefined {
    return this.snapshot.holdTags;
  }
  get props(): Readonly<Record<string, string>> | undefined {
    return this.snapshot.props;
  }
}

export const fullName = (s: { dataset: string; name: string }): string => `${s.dataset}@${s.name}`;

// Oldest first, by creation order (what `zfs list -s createtxg` gives).
export const byCreation = (a: Snapshot, b: Snapshot): number => a.createtxg - b.createtxg;
