import type { ZfsCapabilities } from '../../app/ports.js';

// zfs-fuse 0.7 (pool v23): none of the OpenZFS 0.7+/2.x extras.
export const LEGACY: ZfsCapabilities = {
  flavor: 'zfs-fuse',
  version: undefined,
  multiSnapshot: false,
  commaDestroy: false,
  holdsList: false,
  written: false,
  resume: false,
  sendEstimate: false,
  rawSend: false,
  bookmarks: false,
};

// Read `zfs version` (one process). OpenZFS prints "zfs-2.1.11-1"; zfs-fuse does not know the
// command and prints its usage. The answer decides every modern-versus-fallback path.
export function capabilitiesFromVersion(exitCode: number, stdout: string, stderr: string): ZfsCapabilities {
  const m = /^zfs-(\d+)\.(\d+)\.(\d+)\S*/m.exec(stdout);
  if (exitCode === 0 && m) {
    const [major, minor] = [Number(m[1]), Number(m[2])];
    const atLeast = (a: number, b: number): boolean => major > a || (major === a && minor >= b);
    return {
      flavor: 'openzfs',
      version: m[0].slice(4),
      multiSnapshot: true,
      commaDestroy: true,
      holdsList: true,
      written: true,
      resume: true,
      sendEstimate: true,
      rawSend: atLeast(0, 8),
      bookmarks: true,
      // -L and -e since 0.6.5, -c since 0.7: a version probe, as the rest (zfs_autobackup reads
      // `zfs send`'s usage instead; both are one process per host per run).
      streamFlags: atLeast(0, 7) ? ['-L', '-e', '-c'] : atLeast(0, 6) ? ['-L', '-e'] : [],
    };
  }
  if (/unrecognized command 'version'/.test(stderr)) return LEGACY;
  return { ...LEGACY, flavor: 'other' };
}

// HOLDFAST_ZFS_FLAVOR=legacy forces the fallback paths (to test them on OpenZFS, or to work
// around a zfs whose version the probe misreads).
export function applyOverride(caps: ZfsCapabilities, env: NodeJS.ProcessEnv): ZfsCapabilities {
  return env.HOLDFAST_ZFS_FLAVOR === 'legacy' ? { ...LEGACY, version: caps.version } : caps;
}
