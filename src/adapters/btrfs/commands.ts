// One function per btrfs command (and the mkdir a plan prints beside them): the only place
// holdfast writes their argv. What a dry run or a plan prints is what these return, and a run
// executes exactly that.

export const btrfsVersion = (): string[] => ['btrfs', '--version'];

// Proves `path` is a subvolume; prints its UUID.
export const subvolumeShow = (path: string): string[] => ['btrfs', 'subvolume', 'show', path];

// The subvolumes below `dir` (-o), with generation, UUIDs and received UUIDs; -r: read-only only.
export function subvolumeList(dir: string, readonlyOnly: boolean): string[] {
  return ['btrfs', 'subvolume', 'list', '-o', '-c', '-u', '-q', '-R', '-g', ...(readonlyOnly ? ['-r'] : []), dir];
}

export const subvolumeCreate = (path: string): string[] => ['btrfs', 'subvolume', 'create', path];

export function subvolumeSnapshot(source: string, target: string, readonly: boolean): string[] {
  return ['btrfs', 'subvolume', 'snapshot', ...(readonly ? ['-r'] : []), source, target];
}

export const subvolumeDelete = (paths: readonly string[]): string[] => ['btrfs', 'subvolume', 'delete', ...paths];

// The two ends of a stream: a snapshot (incremental from `parent`), received into `dir`.
export const btrfsSend = (path: string, parent?: string): string[] => ['btrfs', 'send', '-q', ...(parent ? ['-p', parent] : []), path];
export const btrfsReceive = (dir: string): string[] => ['btrfs', 'receive', dir];

// A directory and its parents (a backups directory's parent, a destination directory).
export const mkdirp = (path: string): string[] => ['mkdir', '-p', '--', path];
