import type { Counts, SnapType } from './snap-types.js';

// What the config says about one dataset's snapshots, after inheritance.
export interface SnapPolicy {
  readonly counts: Counts;
  readonly snap: boolean;
  readonly clean: boolean;
  readonly prefix: string; // names of new snapshots start with it
  readonly adopt: readonly string[]; // other tools' prefixes managed like our own
  readonly zone: string; // "local", "UTC" or an IANA zone for the time in names
  // Types whose unset count is suspicious (a misspelt key): clean keeps all of them.
  readonly guardedTypes: ReadonlyMap<SnapType, string>;
  readonly section: string; // the config section this came from, for explanations
}

// Every prefix whose snapshots this policy takes, counts and prunes.
export const managedPrefixes = (p: SnapPolicy): readonly string[] => [p.prefix, ...p.adopt];
