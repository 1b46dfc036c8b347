import type { Command } from 'commander';

export const VERSION = '0.1.0';
export const DEFAULT_CONFIG = '/etc/holdfast/holdfast.conf';
export const DEFAULT_LOCK_DIR = '/run/holdfast';

// Where a command body reports its exit code; main.ts reads it (the single exit point).
export interface ExitSink {
  code: number;
}

// The options every command takes (program.ts defines them), as typed values.
export interface GlobalOptions {
  readonly config: string;
  readonly dryRun: boolean;
  readonly json: boolean;
  readonly verbose: boolean;
  readonly logJson: boolean;
  readonly lockDir: string;
}

// The global options from any (sub)command. Apart from program.ts, so the command registrations
// and action.ts need not import the program that imports them.
export function globalsOf(cmd: Command): GlobalOptions {
  const o = cmd.optsWithGlobals() as Record<string, unknown>;
  return {
    config: String(o.config),
    dryRun: Boolean(o.dryRun),
    json: Boolean(o.json),
    verbose: Boolean(o.verbose),
    logJson: Boolean(o.logJson),
    lockDir: String(o.lockDir),
  };
}
