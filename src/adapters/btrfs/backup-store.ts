import type { BackupStore, FrozenSubvolume, PathKind } from '../../app/backup/ports.js';
import type { BatchOutcome } from '../../app/ports.js';
import { BtrfsCli } from './cli.js';
import { mkdirp, subvolumeCreate, subvolumeDelete, subvolumeSnapshot } from './commands.js';

// The backups directory's filesystem for the backup use cases: btrfs through BtrfsCli.
export class BtrfsBackupStore implements BackupStore {
  constructor(private readonly cli: BtrfsCli) {}

  // What each mutation below runs (BtrfsCli builds its argv with the same functions).
  readonly argv = { create: subvolumeCreate, snapshot: subvolumeSnapshot, delete: subvolumeDelete, mkdirp };

  kindOf(path: string): Promise<PathKind> {
    return this.cli.kindOf(path);
  }

  fsTypeOf(path: string): Promise<string | undefined> {
    return this.cli.fsTypeOf(path);
  }

  // Read-only subvolumes directly in `dir` (the finished backups), oldest first.
  async listFrozen(dir: string): Promise<readonly FrozenSubvolume[]> {
    return ((await this.cli.listIn(dir, true)) ?? []).map((s) => ({ name: s.name, path: s.path, order: s.order }));
  }

  createSubvolume(path: string): Promise<void> {
    return this.cli.createSubvolume(path);
  }

  snapshot(source: string, target: string, readonly: boolean): Promise<void> {
    return this.cli.snapshot(source, target, readonly);
  }

  delete(paths: readonly string[]): Promise<BatchOutcome> {
    return this.cli.delete(paths);
  }

  mkdirp(path: string): Promise<void> {
    return this.cli.mkdirp(path);
  }
}
