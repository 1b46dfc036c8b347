// How zfs is started on one host: where the program is (zfs_path; TrueNAS SCALE over a
// non-interactive ssh has no zfs on the PATH) and whether it runs through sudo or doas
// (elevate). Only zfs and zpool are ever elevated, never a pipeline's other stages.
export type Elevate = 'sudo' | 'doas' | 'none';

export interface HostZfs {
  readonly path?: string; // unset: `zfs` on the PATH
  readonly elevate: Elevate;
}

// The argv that runs `argv` on a host with these settings: `zfs …` becomes
// `[sudo -n|doas -n] ZFS_PATH …`; zpool sits beside an absolute zfs_path. Anything else as is.
// -n: never prompt for a password (cron has no terminal), fail instead.
export function onHost(argv: readonly string[], h: HostZfs | undefined): string[] {
  const program = argv[0];
  if (!h || (program !== 'zfs' && program !== 'zpool')) return [...argv];
  const path = h.path === undefined ? program : program === 'zfs' ? h.path : zpoolBeside(h.path);
  const elevate = h.elevate === 'none' ? [] : [h.elevate, '-n'];
  return [...elevate, path, ...argv.slice(1)];
}

function zpoolBeside(zfsPath: string): string {
  const slash = zfsPath.lastIndexOf('/');
  return slash < 0 ? 'zpool' : `${zfsPath.slice(0, slash + 1)}zpool`;
}
