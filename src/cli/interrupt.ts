import type { Doing, During, LogEvent, Logger } from '../app/ports.js';

// The signals that stop a run: Ctrl-C, `kill`/`systemctl stop`, a closed terminal.
export const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
export type StopSignal = (typeof STOP_SIGNALS)[number];
const NUMBER: Record<StopSignal, number> = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 };

// The minimal process the handlers attach to (process itself; a test may pass an emitter).
export interface SignalSource {
  on(sig: StopSignal, f: (sig: StopSignal) => void): unknown;
  off(sig: StopSignal, f: (sig: StopSignal) => void): unknown;
}

// The process's one handler of SIGINT, SIGTERM and SIGHUP while a command body runs. The first
// signal aborts `signal`: the runner, the pipelines, rsync, flock and the uploads observe it and
// stop their children (SIGTERM, then SIGKILL), and start nothing new. It records what the run
// was doing then (`during`), for the one line cli/action.ts logs once the body has unwound. A
// second signal exits at once. Import-free: it is on every command's start-up path.
export class Interruption {
  private readonly ctl = new AbortController();
  readonly signal: AbortSignal = this.ctl.signal;
  private readonly stack: Doing[] = [];
  by: StopSignal | undefined;
  at: Doing | undefined; // what ran when the signal came

  constructor(private readonly base: Doing) {}

  // 128 + the signal's number, as a shell reports a process killed by it.
  get code(): number {
    return this.by ? 128 + NUMBER[this.by] : 0;
  }

  readonly during: During = async (doing, work) => {
    this.stack.push(doing);
    try {
      return await work();
    } finally {
      this.stack.splice(this.stack.lastIndexOf(doing), 1);
    }
  };

  // What runs now: the innermost activity, else the command itself.
  current(): Doing {
    return this.stack.at(-1) ?? this.base;
  }

  // Its one log line, as an event: "interrupted by SIGTERM during send … ; nothing was
  // half-applied: the next run …" (`unconfirmedAfterSec`: the body had not unwound by then).
  event(unconfirmedAfterSec?: number): Extract<LogEvent, { kind: 'interrupted' }> {
    const d = this.at ?? this.base;
    return {
      kind: 'interrupted',
      signal: this.by ?? 'none',
      during: d.what,
      ...(d.next ? { next: d.next } : {}),
      ...(unconfirmedAfterSec !== undefined ? { unconfirmedAfterSec } : {}),
    };
  }

  // Handle the signals until the returned function is called. `exit` ends the process on a
  // second signal, without waiting for anything.
  listen(source: SignalSource = process, exit: (code: number) => void = (code) => process.exit(code)): () => void {
    const handler = (sig: StopSignal): void => {
      if (this.by) return exit(128 + NUMBER[sig]);
      this.by = sig;
      this.at = this.current();
      this.ctl.abort();
    };
    for (const s of STOP_SIGNALS) source.on(s, handler);
    return () => {
      for (const s of STOP_SIGNALS) source.off(s, handler);
    };
  }

  // The body's outcome; once interrupted, waited for at most `graceMs` more (its children are
  // being stopped and an upload aborted: normally that takes well under a second).
  settle<T>(work: Promise<T>, graceMs = 20_000): Promise<{ value?: T; error?: unknown; late?: true }> {
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const done = (r: { value?: T; error?: unknown; late?: true }): void => {
        clearTimeout(timer);
        this.signal.removeEventListener('abort', arm);
        resolve(r);
      };
      const arm = (): void => void (timer = setTimeout(() => done({ late: true }), graceMs));
      if (this.signal.aborted) arm();
      else this.signal.addEventListener('abort', arm, { once: true });
      work.then(
        (value) => done({ value }),
        (error: unknown) => done({ error }),
      );
    });
  }
}

// The run's logger, silent once the run is interrupted: what fails after that (a killed stage,
// a refused command) is the interruption itself, which gets its one line.
export function quietOnAbort(log: Logger, signal: AbortSignal): Logger {
  return {
    event: (e) => {
      if (!signal.aborted) log.event(e);
    },
  };
}
