import type { BackupSource } from '../../domain/backup/source.js';
import type { BatchOutcome, Clock, During, Logger } from '../ports.js';

export type PathKind = 'missing' | 'subvolume' | 'directory' | 'other';

// A read-only subvolume directly in the backups directory, with its creation order.
export interface FrozenSubvolume {
  readonly name: string;
  readonly path: string;
  readonly order: number;
}

// What the backup use cases need from the filesystem that holds the backups (btrfs).
export interface BackupStore {
  kindOf(path: string): Promise<PathKind>;
  fsTypeOf(path: string): Promise<string | undefined>;
  listFrozen(dir: string): Promise<readonly FrozenSubvolume[]>;
  createSubvolume(path: string): Promise<void>;
  snapshot(source: string, target: string, readonly: boolean): Promise<void>;
  delete(paths: readonly string[]): Promise<BatchOutcome>;
  mkdirp(path: string): Promise<void>;
  // The argv each mutation runs, for plans and --dry-run.
  argv: {
    create(path: string): readonly string[];
    snapshot(source: string, target: string, readonly: boolean): readonly string[];
    delete(paths: readonly string[]): readonly string[];
    mkdirp(path: string): readonly string[];
  };
}

// One copy of a source into the working subvolume.
export interface SyncRequest {
  readonly source: BackupSource;
  readonly target: string; // the working subvolume
  readonly excludes: readonly string[];
  readonly checksum: boolean;
  readonly extra: readonly string[]; // rsync_options
  readonly identity?: string; // ssh key for a remote source
  readonly sshOptions: readonly string[]; // Key=Value
  readonly dryRun: boolean;
}

export interface SyncStats {
  readonly files?: number; // regular files transferred
  readonly bytes?: number; // their total size
}

// How a copy ended: complete, complete with vanished files (a warning), or failed (no snapshot).
export type SyncResult =
  | { readonly kind: 'ok'; readonly stats: SyncStats; readonly ms: number }
  | { readonly kind: 'vanished'; readonly warning: string; readonly stats: SyncStats; readonly ms: number }
  | { readonly kind: 'failed'; readonly error: Error; readonly ms: number };

export interface Syncer {
  argv(req: SyncRequest): readonly string[];
  sync(req: SyncRequest): Promise<SyncResult>;
}

// Everything a backup use case may touch, passed explicitly. Built by cli/compose/index.ts.
export interface BackupDeps {
  readonly log: Logger;
  readonly clock: Clock;
  readonly dryRun: boolean;
  readonly store: BackupStore;
  readonly syncer: Syncer;
  readonly printable: (argv: readonly string[]) => string;
  readonly during?: During; // names the copy for the line an interruption logs
}
