import { randomBytes } from 'node:crypto';
import { levelOf, textOf } from '../../app/log/events.js';
import type { LogEvent, Logger } from '../../app/ports.js';

// A wizard step that runs: the lines it logs (the CLI's log events, as the CLI words them) and
// its result, kept for the page's event stream (Server-Sent Events) to replay and follow.

export interface JobLine {
  readonly key?: string; // a transfer's line: later lines with the same key replace it
  readonly level: 'info' | 'warn' | 'error';
  readonly text: string;
}

export interface JobResult {
  readonly ok: boolean;
  readonly code: number; // the CLI's exit code for the same run
  readonly text: string;
}

export class Job {
  readonly id = randomBytes(9).toString('base64url');
  readonly lines: JobLine[] = [];
  result: JobResult | undefined;
  private readonly listeners = new Set<() => void>();

  constructor(readonly step: string) {}

  push(line: JobLine): void {
    this.lines.push(line);
    this.wake();
  }

  finish(r: JobResult): void {
    this.result = r;
    this.wake();
  }

  // Called on every new line and at the end; returns the unsubscribe.
  follow(f: () => void): () => void {
    this.listeners.add(f);
    return () => this.listeners.delete(f);
  }

  private wake(): void {
    for (const f of this.listeners) f();
  }
}

// The run's log, also into the job: every event at info and above, one line each; a transfer's
// progress lines and its end share one key: one line per transfer, ending with bytes and rate.
export function teeLog(inner: Logger, job: Job): Logger {
  return {
    event: (e: LogEvent) => {
      inner.event(e);
      const level = levelOf(e);
      if (level === 'debug') return;
      const key = e.kind === 'progress' || e.kind === 'sent' ? `${e.dataset}@${e.snapshot}→${e.destination}` : undefined;
      job.push({ ...(key ? { key } : {}), level: level === 'info' ? 'info' : level === 'warn' ? 'warn' : 'error', text: textOf(e) });
    },
  };
}
