import { HoldfastError } from '../../domain/errors.js';

// rsync's exit codes and stderr become typed errors here, and only here. Each regex sits beside
// its class and is tested against output captured from rsync 3.x (test/btrfs/fixtures/).

export class RsyncError extends HoldfastError {
  override name = 'RsyncError';
  declare readonly exitCode: number;
  declare readonly stderr: string;

  constructor(message: string, exitCode: number, stderr: string) {
    super(message, { exitCode, stderr });
  }
}

// The source directory is not there (local, or on the remote host).
export class SourceMissingError extends RsyncError {
  static readonly pattern = /(?:change_dir|link_stat) "([^"]*)" failed: No such file or directory/;
  override name = 'SourceMissingError';
}

// The backups filesystem ran out of space while rsync wrote.
export class TargetFullError extends RsyncError {
  static readonly pattern = /No space left on device|Disk quota exceeded/;
  override name = 'TargetFullError';
}

// rsync was stopped by a signal (kill, Ctrl-C, a shutdown) before it finished.
export class RsyncInterruptedError extends RsyncError {
  static readonly pattern = /received SIG\w+|Received SIGINT, SIGTERM, or SIGHUP|\(code 20\)/;
  override name = 'RsyncInterruptedError';
}

// ssh could not connect or log in (rsync exits 255, or 12 when ssh closed the stream).
export class SourceUnreachableError extends RsyncError {
  static readonly pattern =
    /^(ssh: .*|.*Connection (?:refused|closed|timed out|reset).*|.*Permission denied \(.*\).*|Host key verification failed\.|.*Could not resolve hostname.*)$/m;
  override name = 'SourceUnreachableError';
}

// rsync is missing here (exit 127) or on the source host.
export class RsyncNotFoundError extends RsyncError {
  static readonly pattern = /rsync: (?:command )?not found|rsync: No such file or directory/;
  override name = 'RsyncNotFoundError';
}

export type RsyncOutcome =
  | { readonly kind: 'ok' }
  | { readonly kind: 'vanished'; readonly warning: string } // exit 24: files vanished while copying
  | { readonly kind: 'failed'; readonly error: RsyncError };

const WHY: Record<number, string> = {
  1: 'syntax or usage error',
  2: 'protocol incompatibility',
  3: 'errors selecting input/output files or directories',
  5: 'error starting the client-server protocol',
  10: 'error in socket I/O',
  11: 'error in file I/O',
  12: 'error in the rsync protocol data stream',
  23: 'some files could not be transferred',
  30: 'timeout in data send/receive',
};

// Decide what an rsync exit means: 0 is a complete copy, 24 a complete copy of everything that
// still existed (a warning), anything else no usable copy.
export function classifyRsync(exitCode: number, signal: string | undefined, stderr: string): RsyncOutcome {
  if (exitCode === 0 && !signal) return { kind: 'ok' };
  const errors = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => /^rsync(?:\(\d+\))?:|^ssh:|error|failed|denied|refused/i.test(l));
  const detail = (errors.slice(0, 2).join('; ') || stderr.trim().split('\n').slice(-1)[0] || '').slice(0, 400);
  if (exitCode === 24 && !signal)
    return { kind: 'vanished', warning: `some source files vanished during the copy (rsync exit 24): ${detail}` };
  const fail = (error: RsyncError): RsyncOutcome => ({ kind: 'failed', error });
  if (signal) return fail(new RsyncInterruptedError(`rsync was killed by ${signal} before it finished`, exitCode, stderr));
  const missing = SourceMissingError.pattern.exec(stderr);
  if (missing) return fail(new SourceMissingError(`the source ${missing[1]} does not exist`, exitCode, stderr));
  if (TargetFullError.pattern.test(stderr))
    return fail(
      new TargetFullError(
        `the backups filesystem is full (rsync exit ${exitCode}): ${detail}; free space (holdfast prune/decay) or grow it`,
        exitCode,
        stderr,
      ),
    );
  if (exitCode === 20 || RsyncInterruptedError.pattern.test(stderr))
    return fail(new RsyncInterruptedError(`rsync was interrupted (exit ${exitCode})`, exitCode, stderr));
  if (exitCode === 127 || RsyncNotFoundError.pattern.test(stderr))
    return fail(
      new RsyncNotFoundError(`rsync is not installed here or on the source host (exit ${exitCode}): ${detail}`, exitCode, stderr),
    );
  const ssh = SourceUnreachableError.pattern.exec(stderr);
  if (ssh && (exitCode === 255 || exitCode === 12 || exitCode === 5))
    return fail(new SourceUnreachableError(`cannot reach the source over ssh: ${ssh[1]!.trim()}`, exitCode, stderr));
  return fail(new RsyncError(`rsync failed with exit ${exitCode} (${WHY[exitCode] ?? 'see rsync(1)'}): ${detail}`, exitCode, stderr));
}
