import type { Location } from '../domain/location.js';
import type { ConfigIssue, IssueCounts } from './issue.js';

// A key's parsed value and the line it came from.
export interface SetValue {
  readonly value: unknown;
  readonly line: number;
}

// One [section] after parsing: its location (undefined when the name is not a valid location;
// such a section is skipped at run time, as pyznap skipped it) and its own values.
export interface SectionConfig {
  readonly name: string;
  readonly line: number;
  readonly location: Location | undefined;
  readonly values: ReadonlyMap<string, SetValue>;
  // Misspelt keys that look like a retention count: count key → the misspelling and its line.
  readonly typos: ReadonlyMap<string, { key: string; line: number }>;
}

// A whole policy file, parsed and checked.
export interface PolicyFile {
  readonly path: string;
  readonly pyznapMode: boolean; // a file named pyznap.conf: default prefix "pyznap"
  readonly defaults: SectionConfig;
  readonly sections: readonly SectionConfig[];
  // The problems to show (at most ISSUES_SHOWN, errors first, in line order) and how many
  // there are in all: decisions go by the counts, never by the list.
  readonly issues: readonly ConfigIssue[];
  readonly counts: IssueCounts;
}
