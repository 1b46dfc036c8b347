import { Command, Option } from 'commander';
import { COMMANDS } from './commands/index.js';
import { DEFAULT_CONFIG, DEFAULT_LOCK_DIR, type ExitSink, VERSION } from './globals.js';

// The commander program: global options, then every command from commands/index.ts.
export function buildProgram(sink: ExitSink): Command {
  const program = new Command('holdfast')
    .description('ZFS (and btrfs) snapshots, retention and replication from cron; a drop-in successor to pyznap')
    .version(VERSION, '--version', 'print the version')
    .addOption(new Option('--config <path>', 'policy file').default(process.env.HOLDFAST_CONFIG ?? DEFAULT_CONFIG))
    .option('--dry-run', 'print the plan (every command that would run) and change nothing', false)
    .option('--json', 'print the plan or the result as JSON on stdout', false)
    .option('-v, --verbose', 'log every external command', false)
    .option('--log-json', 'log JSON lines (pino) instead of text lines', false)
    .addOption(new Option('--lock-dir <dir>', 'directory for run locks').default(process.env.HOLDFAST_LOCK_DIR ?? DEFAULT_LOCK_DIR))
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ outputError: (str, write) => write(str) });
  for (const register of COMMANDS) register(program, sink);
  return program;
}
