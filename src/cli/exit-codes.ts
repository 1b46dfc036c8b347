import { type ExitKind, HoldfastError, UsageError } from '../domain/errors.js';

// Documented exit codes (README "Exit codes"); cli/main.ts is the only place that sets one.
export const EXIT = {
  ok: 0, // everything done
  partial: 1, // some datasets failed; each is named in the log and the summary
  usage: 2, // bad flags or config: nothing was done
  locked: 3, // another run holds the lock
  internal: 70, // a bug in holdfast: please report it
} as const;

// A problem with what the user asked for; exits 2 with one line and no stack trace.
export { UsageError };

// The config has errors; every issue has been printed already.
export class ConfigInvalidError extends UsageError {
  override name = 'ConfigInvalidError';
}

// Another run holds the lock (exit 3): the lock adapter's refusal, as compose/env.ts passes it
// on, so the exit code needs no adapter on the start-up path.
export class RunLockedError extends HoldfastError {
  override name = 'RunLockedError';
  override readonly exit = 'locked';
}

// The run was stopped by SIGINT, SIGTERM or SIGHUP (cli/interrupt.ts). Its one line is logged
// already; main.ts exits 128 + the signal's number and prints nothing more.
export class InterruptedError extends HoldfastError {
  override name = 'InterruptedError';
  constructor(
    message: string,
    readonly code: number,
  ) {
    super(message);
  }
}

const CODE: Readonly<Record<ExitKind, number>> = { usage: EXIT.usage, locked: EXIT.locked, internal: EXIT.internal };

// The exit code of a thrown error: what main.ts exits with, what a notification and a textfile
// report for a run that stopped before it did anything. Anything but holdfast's own errors that
// say otherwise is a bug.
export function exitCodeOf(e: unknown): number {
  if (e instanceof InterruptedError) return e.code;
  return e instanceof HoldfastError ? CODE[e.exit] : EXIT.internal;
}
