import { CommanderError } from 'commander';
import { EXIT, InterruptedError, exitCodeOf } from './exit-codes.js';
import type { ExitSink } from './globals.js';
import { buildProgram } from './program.js';

// The bin entry and the only place that sets the exit code. Errors the user can fix print
// one line; anything else is a bug and says so (the stack only with -v). Its static imports stay
// tiny (commander, the program's definitions, import-free error classes): every command body
// loads on use (cli/action.ts `lazy`), so --version and --help load nothing else.
export async function main(argv: readonly string[]): Promise<void> {
  // A reader that goes away (`holdfast man | head`) must not crash a run or cut its work short:
  // the rest of the output is dropped and the command finishes with its own exit code.
  for (const stream of [process.stdout, process.stderr]) stream.on('error', ignoreClosedReader);
  const sink: ExitSink = { code: EXIT.ok };
  const program = buildProgram(sink);
  if (argv.length <= 2) {
    process.stderr.write(program.helpInformation());
    process.exitCode = EXIT.usage;
    return;
  }
  try {
    await program.parseAsync([...argv]);
    process.exitCode = sink.code;
  } catch (e) {
    process.exitCode = exitCodeFor(e, argv.includes('-v') || argv.includes('--verbose'));
    // Stopped by a signal: its line is logged, its cleanup done; whatever the body left running
    // (it was given up on after a grace) must not keep the process alive.
    if (e instanceof InterruptedError) process.exit(e.code);
  }
}

function exitCodeFor(e: unknown, verbose: boolean): number {
  if (e instanceof CommanderError) {
    // commander already printed its message; --help and --version are successes.
    return e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help' ? EXIT.ok : EXIT.usage;
  }
  const code = exitCodeOf(e);
  if (e instanceof InterruptedError) return code; // its one line is logged already
  if (code !== EXIT.internal) return fail(`holdfast: ${(e as Error).message}`, code);
  const err = e instanceof Error ? e : new Error(String(e));
  const detail = verbose ? `\n${err.stack}` : ' (run with -v for details)';
  return fail(`holdfast: internal error: ${err.message}${detail}\nThis is a bug in holdfast; please report it.`, EXIT.internal);
}

function ignoreClosedReader(e: NodeJS.ErrnoException): void {
  if (e.code !== 'EPIPE' && e.code !== 'ERR_STREAM_DESTROYED') throw e;
}

function fail(message: string, code: number): number {
  process.stderr.write(`${message}\n`);
  return code;
}
