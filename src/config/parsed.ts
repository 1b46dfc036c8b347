import type { Location } from '../domain/location.js';
import type { ConfigIssue, IssueCounts } from './issue.js';
import type { KeyName, ValueOf } from './keys/index.js';

// The policy file as parsed, before normalization: config/'s own (normalize.ts turns it into
// the typed PolicyFile the rest of holdfast reads; nothing outside config/ imports this module).

// A key's parsed value and the line it came from.
export interface SetValue<T> {
  readonly value: T;
  readonly line: number;
}

// A section's own values, typed by the key table (keys/index.ts).
export type Values = { readonly [K in KeyName]?: SetValue<ValueOf<K>> };

// One [section] after parsing: its location (undefined when the name is not a valid location;
// such a section is skipped at run time, as pyznap skipped it) and its own values.
export interface ParsedSection {
  readonly name: string;
  readonly line: number;
  readonly location: Location | undefined;
  readonly values: Values;
  // Misspelt keys that look like a retention count: count key → the misspelling and its line.
  readonly typos: ReadonlyMap<string, { key: string; line: number }>;
}

// A whole policy file, parsed and checked.
export interface ParsedFile {
  readonly path: string;
  readonly pyznapMode: boolean; // a file named pyznap.conf: default prefix "pyznap"
  readonly defaults: ParsedSection;
  readonly sections: readonly ParsedSection[];
  // The problems to show (at most ISSUES_SHOWN, errors first, in line order) and how many
  // there are in all: decisions go by the counts, never by the list.
  readonly issues: readonly ConfigIssue[];
  readonly counts: IssueCounts;
}
