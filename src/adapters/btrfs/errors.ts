import { CommandError } from '../../domain/errors.js';

// btrfs-progs stderr becomes typed errors here, and only here. Each regex sits beside its class
// and is tested against output captured from btrfs-progs 6.2 (test/btrfs/fixtures/).

export class BtrfsError extends CommandError {
  override name = 'BtrfsError';
}

export class NotSubvolumeError extends BtrfsError {
  static readonly pattern = /Not a Btrfs subvolume/;
  static readonly hint = 'the path must be a btrfs subvolume, not a plain directory: see btrfs subvolume create';
  override name = 'NotSubvolumeError';
}

export class NotBtrfsError extends BtrfsError {
  static readonly pattern = /not a btrfs filesystem/;
  static readonly hint = 'the path must be on a btrfs filesystem (snapshots cannot leave their filesystem)';
  override name = 'NotBtrfsError';
}

export class PathMissingError extends BtrfsError {
  static readonly pattern =
    /Could not statfs: No such file or directory|cannot find real path for '[^']*': No such file or directory|cannot access '[^']*': No such file or directory|can't access '[^']*'/;
  static readonly hint = 'no such file or directory';
  override name = 'PathMissingError';
}

export class TargetExistsError extends BtrfsError {
  static readonly pattern = /target path already exists|File exists/;
  static readonly hint = 'not overwritten';
  override name = 'TargetExistsError';
}

export class NoSpaceError extends BtrfsError {
  static readonly pattern = /No space left on device/;
  static readonly hint = 'the btrfs filesystem is full; delete old snapshots (prune, decay) or grow it';
  override name = 'NoSpaceError';
}

export class ReadOnlyError extends BtrfsError {
  static readonly pattern = /Read-only file system/;
  static readonly hint = 'the target is read-only (a read-only snapshot, or a file system mounted ro)';
  override name = 'ReadOnlyError';
}

export class CrossDeviceError extends BtrfsError {
  static readonly pattern = /Invalid cross-device link/;
  static readonly hint = 'the snapshot directory must be on the same btrfs filesystem as the subvolume';
  override name = 'CrossDeviceError';
}

export class NotEmptyError extends BtrfsError {
  static readonly pattern = /Directory not empty/;
  static readonly hint = 'it holds other subvolumes; delete those first';
  override name = 'NotEmptyError';
}

export class PermissionError extends BtrfsError {
  static readonly pattern = /Operation not permitted|Permission denied/;
  static readonly hint = 'run as root';
  override name = 'PermissionError';
}

export class BtrfsNotFoundError extends BtrfsError {
  static readonly pattern = /btrfs: command not found|btrfs: not found/;
  static readonly hint = 'install btrfs-progs';
  override name = 'BtrfsNotFoundError';
}

const CLASSES = [
  NotSubvolumeError,
  NotBtrfsError,
  PathMissingError,
  TargetExistsError,
  NoSpaceError,
  ReadOnlyError,
  CrossDeviceError,
  NotEmptyError,
  PermissionError,
  BtrfsNotFoundError,
] as const;

// The most specific error for a failed btrfs call. The message names the path it was about,
// btrfs-progs' own words and what to do.
export function classifyBtrfsError(stderr: string, argv: readonly string[], exitCode: number, about: string): BtrfsError {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  const first = (lines.find((l) => l.startsWith('ERROR:')) ?? lines[0] ?? `${argv.join(' ')} exited ${exitCode}`).replace(/^ERROR:\s*/, '');
  for (const C of CLASSES) {
    if (C.pattern.test(stderr)) return new C(`${about}: ${first} (${C.hint})`, stderr, argv, exitCode);
  }
  return new BtrfsError(`${about}: ${first}`, stderr, argv, exitCode);
}
