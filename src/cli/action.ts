import type { Command } from 'commander';
import type { Doing } from '../app/ports.js';
import { CommandEnv } from './compose/env.js';
import { InterruptedError } from './exit-codes.js';
import { Interruption } from './interrupt.js';
import { type ExitSink, globalsOf } from './globals.js';

// A command body: returns the exit code; throws only for usage, config, lock or bugs.
export type Body<O> = (env: CommandEnv, opts: O, args: string[]) => Promise<number>;

// A body kept in a module of its own, imported only when its command runs, so start-up and every
// other command skip its imports. Registration files (commands/<name>.ts) hold only commander
// definitions and type imports; the body sits beside them (commands/<name>-run.ts):
//   .action(runs<SnapFlags>(sink, lazy(() => import('./snap-run.js').then((m) => m.snapBody))))
export function lazy<O>(load: () => Promise<Body<O>>): Body<O> {
  return async (env, opts, args) => (await load())(env, opts, args);
}

// What an interrupted command did, when no finer activity (a transfer, an rsync copy, an
// upload) was running: every zfs command is atomic, so these hold between any two of them.
const COMMAND_DOING: Readonly<Record<string, Omit<Doing, 'what'>>> = {
  snap: { next: 'zfs snapshot and destroy are atomic: the next run takes what is due and prunes the rest' },
  send: { next: 'nothing was half-applied: the next run plans again from what both sides have' },
  backup: { next: 'no backup is taken of a partial copy: the next run copies again and takes it' },
  ui: { next: 'the server stopped; a wizard step that was running stopped as its CLI command would' },
  'btrfs-send': {
    next: 'nothing is half-applied: an unfinished subvolume a stopped btrfs receive leaves is deleted by the next run, which receives it again',
  },
};

// How long an interrupted body may take to unwind (children stopping, an upload's abort).
const GRACE_S = 20;

// Adapt a body to commander: build the env from the global options, always close it. While the
// body runs, SIGINT, SIGTERM and SIGHUP are handled here (cli/interrupt.ts): the first stops the
// run's children and whatever it was doing, then the run ends as `interrupted` says.
export function runs<O>(sink: ExitSink, body: Body<O>): (...a: unknown[]) => Promise<void> {
  return async (...a: unknown[]) => {
    const cmd = a[a.length - 1] as Command;
    const stop = new Interruption({ what: cmd.name(), ...COMMAND_DOING[cmd.name()] });
    const env = new CommandEnv(globalsOf(cmd), stop);
    const unlisten = stop.listen();
    const r = await stop.settle(body(env, cmd.opts() as O, cmd.args), GRACE_S * 1000);
    let code = r.value;
    let error = r.error;
    try {
      if (stop.by) {
        // The handlers stay: a second signal while this finishes exits at once.
        error = await interrupted(env, stop, r.late === true);
        code = undefined;
      } else {
        unlisten();
        env.close();
      }
      if (error === undefined) sink.code = code!;
    } finally {
      // Notifications, after the lock is released; loaded only once a config was read. Never throws.
      if (env.policy)
        await import('./compose/notify.js').then(
          (m) => m.notifyAfterRun(env, cmd.name(), code, error),
          () => undefined,
        );
    }
    if (error !== undefined) throw error;
  };
}

// The end of an interrupted run, once its body has unwound (children stopped, an upload aborted)
// or given up on: close the ssh masters and release the locks, write the --prometheus file as
// failed, log the one line. Returns the error main.ts exits with (128 + the signal's number).
async function interrupted(env: CommandEnv, stop: Interruption, late: boolean): Promise<InterruptedError> {
  env.close();
  // A body that did not unwind within the grace may not have got as far as the line says.
  const line = await env.endInterrupted(stop.event(late ? GRACE_S : undefined), stop.code);
  return new InterruptedError(line, stop.code);
}

// "Example:" block for --help, so every command shows one.
export function example(lines: string): string {
  return `\nExample:\n${lines
    .trim()
    .split('\n')
    .map((l) => `  ${l.trim()}`)
    .join('\n')}\n`;
}
