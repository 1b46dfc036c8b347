import { ManagedName, type ParsedSnapshotName, parseSnapshotName } from './snapshot-name.js';
import type { SnapType } from './snap-types.js';
import type { WallTime } from './wall-time.js';

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
// listed snapshot, not a copy of it: clean's --explain makes one per snapshot, a million at once.
export function asManaged(s: Snapshot, prefixes: readonly string[]): ManagedSnapshot | undefined {
  const shape = ManagedName.of(s.name, prefixes);
  return shape && new Managed(s, shape.prefix, shape.type);
}

// One object per managed snapshot, its own parsed name (`parsed` is itself): three fields, where
// a copy of the snapshot with a parsed name was eleven.
class Managed implements ManagedSnapshot, ParsedSnapshotName {
  constructor(
    private readonly snapshot: Snapshot,
    readonly prefix: string,
    readonly type: SnapType,
  ) {}
  get parsed(): ParsedSnapshotName {
    return this;
  }
  get time(): WallTime {
    return parseSnapshotName(this.snapshot.name)!.time; // read by take and the views, never by clean
  }
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
