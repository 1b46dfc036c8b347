import { posix } from 'node:path';
import type { PolicyFile } from '../../config/policy-file.js';
import { DEFAULT_SNAPSHOT_DIR } from '../../config/sections/tree.js';
import { SnapshotDirClashError } from './ports.js';

// Where each configured btrfs subvolume keeps its snapshots. The default is `.snapshots` inside
// the subvolume: always on the same filesystem (a sibling directory may not be, e.g. when the
// subvolume is a mount point), per subvolume (names never clash), and where snapper users look.

export interface BtrfsLayout {
  snapshotDirOf(subvolume: string): string;
}

// Resolve snapshot_dir (inherited along the path tree) for every [btrfs:/PATH] section.
export function btrfsLayout(file: PolicyFile): BtrfsLayout {
  const dirs = new Map<string, { dir: string; section: string }>();
  for (const t of file.trees) {
    if (t.kind !== 'btrfs') continue;
    const v = t.snapshotDir;
    dirs.set(t.dataset, { dir: v.startsWith('/') ? posix.normalize(v) : posix.join(t.dataset, v), section: t.name });
  }
  const users = new Map<string, string[]>();
  for (const { dir, section } of dirs.values()) users.set(dir, [...(users.get(dir) ?? []), section]);
  return {
    snapshotDirOf(subvolume) {
      const d = dirs.get(subvolume);
      if (!d) return posix.join(subvolume, DEFAULT_SNAPSHOT_DIR);
      const shared = users.get(d.dir)!;
      if (shared.length > 1) {
        throw new SnapshotDirClashError(
          `${shared.map((n) => `[${n}]`).join(' and ')} all put snapshots in ${d.dir} (snapshot_dir); give each subvolume its own directory, e.g. a relative snapshot_dir`,
        );
      }
      return d.dir;
    },
  };
}
