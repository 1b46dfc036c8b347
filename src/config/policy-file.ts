import type { Location } from '../domain/location.js';
import type { ConfigIssue, IssueCounts } from './issue.js';
import type { BackupSection } from './sections/backup.js';
import type { SendTarget } from './sections/dests.js';
import type { NotifySettings } from './sections/notify.js';
import type { ParallelConfig } from './sections/parallel.js';
import type { SshConfig } from './sections/ssh.js';
import type { StoreSections } from './sections/store.js';
import type { TreeSection } from './sections/tree.js';

// A [section] as written: its name, line and location (undefined when the name is not a valid
// location; such a section is skipped at run time, as pyznap skipped it).
export interface Section {
  readonly name: string;
  readonly line: number;
  readonly location: Location | undefined;
}

// A policy file, parsed, checked and normalized (normalize.ts): inheritance resolved, every
// dest routed by kind, defaults applied. What every command reads; no key by its name.
export interface PolicyFile {
  readonly path: string;
  readonly pyznapMode: boolean; // a file named pyznap.conf: default prefix "pyznap"
  // The problems to show (at most ISSUES_SHOWN, errors first, in line order) and how many
  // there are in all: decisions go by the counts, never by the list.
  readonly issues: readonly ConfigIssue[];
  readonly counts: IssueCounts;
  readonly sections: readonly Section[]; // every section, in file order
  readonly trees: readonly TreeSection[]; // zfs datasets and btrfs subvolumes: what snap does
  readonly sends: readonly SendTarget[]; // every dest entry of every zfs and btrfs section
  readonly stores: StoreSections; // s3:// and file:// stores' settings
  readonly backups: readonly BackupSection[]; // [backup:NAME] jobs
  readonly notify: readonly NotifySettings[]; // [DEFAULT] first, then every section
  readonly ssh: SshConfig;
  readonly parallel: ParallelConfig; // send's transfers in flight: in all, per host
  readonly secretEnv: readonly string[]; // environment variables no child may see
}
