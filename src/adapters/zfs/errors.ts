import type { FailureKind } from '../../app/send/ports.js';
import { CommandError } from '../../domain/errors.js';
// zfs stderr becomes typed errors here, and only here. Each regex sits beside its class and
// is tested against output captured from zfs-fuse and OpenZFS (test/fixtures/).

export class ZfsError extends CommandError {
  override name = 'ZfsError';
}

export class DatasetNotFoundError extends ZfsError {
  // zfs-fuse names the dataset; OpenZFS says "could not find any snapshots to destroy".
  static readonly pattern =
    /cannot (?:open|destroy|snapshot|hold|release|receive|send) '([^']+)': dataset does not exist|could not find any snapshots to destroy/;
  override name = 'DatasetNotFoundError';
}

export class DatasetExistsError extends ZfsError {
  static readonly pattern = /cannot create snapshot '([^']+)': dataset already exists/;
  override name = 'DatasetExistsError';
}

export class DatasetBusyError extends ZfsError {
  // zfs-fuse: "cannot destroy 'X': dataset is busy"; OpenZFS: "cannot destroy snapshot X: …".
  static readonly pattern = /cannot destroy (?:snapshot )?'?(.+?)'?: dataset is busy/;
  override name = 'DatasetBusyError';
}

export class InvalidNameError extends ZfsError {
  static readonly pattern = /cannot (?:create snapshot|\w+) '([^']+)': invalid character/;
  override name = 'InvalidNameError';
}

export class ZfsNotFoundError extends ZfsError {
  static readonly pattern = /(?:zfs: command not found|zfs: not found|No such file or directory.*zfs)/;
  override name = 'ZfsNotFoundError';
}

export class SshError extends ZfsError {
  // ssh exits 255 on its own failures; its messages start with "ssh:" or name the connection.
  static readonly pattern =
    /^(ssh: .*|.*Connection (?:refused|closed|timed out|reset).*|.*Permission denied \(publickey.*|Host key verification failed\.)$/m;
  override name = 'SshError'; // its `fix`: the ssh-keyscan line for a refused host key, when known
}

// zfs refused a delegated account (OpenZFS: "cannot receive new filesystem stream: permission
// denied", "warning: cannot send 'p/s@a': permission denied"); ssh's "Permission denied
// (publickey)" is an SshError.
export class PermissionDeniedError extends ZfsError {
  static readonly pattern = /cannot [^\n]*: permission denied\s*$/m;
  static readonly hint = 'holdfast doctor prints the zfs allow line that grants it';
  override name = 'PermissionDeniedError';
}

const CLASSES = [
  DatasetNotFoundError,
  DatasetExistsError,
  DatasetBusyError,
  InvalidNameError,
  ZfsNotFoundError,
  PermissionDeniedError,
  SshError,
] as const;

// The most specific error for a failed zfs call. The message is its first stderr line; an ssh
// failure that the user can fix (`sshFix`, from the runner) says how.
export function classifyZfsError(stderr: string, argv: readonly string[], exitCode: number, sshFix?: string): ZfsError {
  const first =
    stderr
      .split('\n')
      .find((l) => l.trim() !== '')
      ?.trim() ?? `${argv.join(' ')} exited ${exitCode}`;
  for (const C of CLASSES) {
    if (C === SshError && exitCode !== 255) continue;
    const m = C.pattern.exec(stderr);
    if (m && C === SshError) return sshError(m[1]!.trim(), stderr, argv, exitCode, sshFix);
    if (m && C === PermissionDeniedError) return new C(`${first} (${PermissionDeniedError.hint})`, stderr, argv, exitCode);
    if (m) return new C(first, stderr, argv, exitCode);
  }
  return new ZfsError(first, stderr, argv, exitCode);
}

function sshError(line: string, stderr: string, argv: readonly string[], exitCode: number, fix: string | undefined): SshError {
  return new SshError(fix ? `${line.replace(/\.$/, '')}: ${fix}` : line, stderr, argv, exitCode, fix ? { fix } : {});
}

// --- replication (send/receive/hold), classified by adapters/zfs/replication.ts ---

// The destination changed since its newest snapshot (OpenZFS also says this when the
// destination has newer snapshots than the stream's base).
export class DestModifiedError extends ZfsError {
  static readonly pattern = /has been modified\s+since most recent snapshot/;
  override name = 'DestModifiedError';
}

export class OutOfSpaceError extends ZfsError {
  static readonly pattern = /out of space|no space left on device/i;
  override name = 'OutOfSpaceError';
}

// The stream was damaged or cut: checksum, truncation, bad magic.
export class StreamCorruptError extends ZfsError {
  static readonly pattern = /checksum mismatch|invalid (?:backup )?stream|incomplete stream|failed to read from stream|bad magic number/;
  override name = 'StreamCorruptError';
}

// The incremental's base is not the destination's newest snapshot.
export class BaseMismatchError extends ZfsError {
  static readonly pattern = /most recent snapshot of \S+ does not\s+match incremental source/;
  override name = 'BaseMismatchError';
}

// A resume token whose source snapshot is gone, or that cannot be read.
export class StaleResumeTokenError extends ZfsError {
  static readonly pattern = /cannot resume send: (?:'[^']+' used in the initial send no longer exists|resume token is corrupt)/;
  override name = 'StaleResumeTokenError';
}

export class HoldTagExistsError extends ZfsError {
  static readonly pattern = /cannot hold (?:snapshot )?'([^']+)': tag already exists on this dataset/;
  override name = 'HoldTagExistsError';
}

export class NoSuchHoldTagError extends ZfsError {
  // zfs-fuse: "cannot release 't' from 'fs@s': …"; OpenZFS: "cannot release hold from snapshot 'fs@s': …".
  static readonly pattern = /cannot release (?:'[^']+' from|hold from snapshot) '([^']+)': no such tag on this dataset/;
  override name = 'NoSuchHoldTagError';
}

export const REPLICATION_ERRORS = [
  DestModifiedError,
  OutOfSpaceError,
  StreamCorruptError,
  BaseMismatchError,
  StaleResumeTokenError,
  HoldTagExistsError,
  NoSuchHoldTagError,
] as const;

// A failed command's kind, as the send port reports it: what retrying and reporting care about.
export function failureKindOf(e: Error): FailureKind {
  if (e instanceof DestModifiedError) return 'dest-modified';
  if (e instanceof OutOfSpaceError) return 'out-of-space';
  if (e instanceof StreamCorruptError) return 'corrupt';
  if (e instanceof BaseMismatchError) return 'base-mismatch';
  if (e instanceof DatasetNotFoundError) return 'not-found';
  if (e instanceof StaleResumeTokenError) return 'stale-token';
  if (e instanceof SshError) return 'ssh';
  return 'other';
}
