// The one base of the errors holdfast throws on purpose. Import-free: cli/main.ts maps them to
// exit codes on the start-up path of every command.

// How a run that ends with the error exits (cli/exit-codes.ts turns it into the number): `usage`
// 2 (bad flags, config or names: nothing was done), `locked` 3 (another run holds the lock),
// `internal` 70 (anything else that escapes a command body is a bug in holdfast, whatever threw it).
export type ExitKind = 'usage' | 'locked' | 'internal';

export interface HoldfastErrorOptions {
  readonly cause?: unknown;
  readonly fix?: string; // what the user runs or changes to fix it, when known
  readonly argv?: readonly string[]; // the external command that failed
  readonly stderr?: string;
  readonly exitCode?: number;
}

// Every error carries a one-line message (no stack trace is shown for it), how a run ending
// with it exits, what fixes it when that is known, and the failed command where there was one.
export class HoldfastError extends Error {
  override name = 'HoldfastError';
  readonly exit: ExitKind = 'internal';
  readonly fix?: string;
  readonly argv?: readonly string[];
  readonly stderr?: string;
  readonly exitCode?: number;

  constructor(message: string, o: HoldfastErrorOptions = {}) {
    super(message, o.cause === undefined ? undefined : { cause: o.cause });
    if (o.fix !== undefined) this.fix = o.fix;
    if (o.argv !== undefined) this.argv = o.argv;
    if (o.stderr !== undefined) this.stderr = o.stderr;
    if (o.exitCode !== undefined) this.exitCode = o.exitCode;
  }
}

// A bad flag, argument, name or config value: exit 2, one line, nothing changed.
export class UsageError extends HoldfastError {
  override name = 'UsageError';
  override readonly exit = 'usage';
}

// A program holdfast ran failed (zfs, btrfs): its argv, stderr and exit status, classified by
// the adapter into the most specific subclass (adapters/zfs/errors.ts, adapters/btrfs/errors.ts).
export class CommandError extends HoldfastError {
  override name = 'CommandError';
  declare readonly argv: readonly string[];
  declare readonly stderr: string;
  declare readonly exitCode: number;

  constructor(message: string, stderr: string, argv: readonly string[], exitCode: number, o: { readonly fix?: string } = {}) {
    super(message, { ...o, stderr, argv, exitCode });
  }
}
