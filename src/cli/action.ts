import type { Command } from 'commander';
import { CommandEnv } from './env.js';
import type { ExitSink } from './program.js';
import { globalsOf } from './program.js';

// A command body: returns the exit code; throws only for usage, config, lock or bugs.
export type Body<O> = (env: CommandEnv, opts: O, args: string[]) => Promise<number>;

// A body kept in a module of its own, imported only when its command runs, so start-up and every
// other command skip its imports. Registration files (commands/<name>.ts) hold only commander
// definitions and type imports; the body sits beside them (commands/<name>-run.ts):
//   .action(runs<SnapFlags>(sink, lazy(() => import('./snap-run.js').then((m) => m.snapBody))))
export function lazy<O>(load: () => Promise<Body<O>>): Body<O> {
  return async (env, opts, args) => (await load())(env, opts, args);
}

// Adapt a body to commander: build the env from the global options, always close it.
export function runs<O>(sink: ExitSink, body: Body<O>): (...a: unknown[]) => Promise<void> {
  return async (...a: unknown[]) => {
    const cmd = a[a.length - 1] as Command;
    const env = new CommandEnv(globalsOf(cmd));
    let code: number | undefined;
    let error: unknown;
    try {
      sink.code = code = await body(env, cmd.opts() as O, cmd.args);
    } catch (e) {
      error = e;
      throw e;
    } finally {
      env.close();
      // Notifications, after the lock is released; loaded only once a config was read. Never throws.
      if (env.policy) await import('./notify-hook.js').then((m) => m.notifyAfterRun(env, cmd.name(), code, error), () => undefined);
    }
  };
}

// "Example:" block for --help, so every command shows one.
export function example(lines: string): string {
  return `\nExample:\n${lines
    .trim()
    .split('\n')
    .map((l) => `  ${l.trim()}`)
    .join('\n')}\n`;
}
