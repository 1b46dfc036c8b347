import { posix } from 'node:path';

// One line of the mount table: where it is mounted, which part of the filesystem it shows.
export interface Mount {
  readonly target: string;
  readonly fsroot: string; // "/" for a filesystem's top, "/@home" for a btrfs subvolume mount
  readonly fstype: string;
}

// Parse `findmnt -J -l -o TARGET,FSROOT,FSTYPE` (JSON keeps spaces in mount points intact).
export function parseFindmnt(stdout: string): Mount[] {
  const data = JSON.parse(stdout) as { filesystems?: { target?: string; fsroot?: string; fstype?: string }[] };
  return (data.filesystems ?? []).flatMap((f) =>
    f.target && f.fstype ? [{ target: f.target, fsroot: f.fsroot ?? '/', fstype: f.fstype }] : [],
  );
}

// The mount a path lives on (the longest mount point that contains it; the later of two mounts
// on one point wins, as the kernel shows the top one), and the path's place in that filesystem.
// `fsPath` is relative to the filesystem's top ("" for the top itself), as `btrfs subvolume list`
// prints paths. The path must be absolute and free of symlinks.
export function locate(path: string, mounts: readonly Mount[]): { mount: Mount; fsPath: string } | undefined {
  const abs = posix.normalize(path);
  let best: Mount | undefined;
  for (const m of mounts) {
    const inside = m.target === '/' || abs === m.target || abs.startsWith(`${m.target}/`);
    if (inside && (!best || m.target.length >= best.target.length)) best = m;
  }
  if (!best) return undefined;
  const rel = best.target === '/' ? abs.slice(1) : abs.slice(best.target.length + 1);
  const fsPath = posix.join(best.fsroot, rel).replace(/^\/+/, '').replace(/\/+$/, '');
  return { mount: best, fsPath: fsPath === '.' ? '' : fsPath };
}
