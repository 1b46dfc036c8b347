import type { ChildProcess } from 'node:child_process';
import { HoldfastError } from '../../domain/errors.js';

// How long a child may take to end after SIGTERM before it gets SIGKILL.
export const STOP_GRACE_MS = 3000;

// Why: an interrupted run (cli/interrupt.ts aborts `signal`) ends every process it started:
// SIGTERM, then SIGKILL for one that is still there after `graceMs`. A child that already ended
// is left alone (Node never signals a reaped pid).
export function stopOnAbort(child: ChildProcess, signal: AbortSignal | undefined, graceMs = STOP_GRACE_MS): void {
  if (!signal) return;
  const stop = (): void => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const t = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('close', () => clearTimeout(t));
  };
  if (signal.aborted) return stop();
  signal.addEventListener('abort', stop, { once: true });
  child.once('close', () => signal.removeEventListener('abort', stop));
}

// Why: after an interruption nothing new may start (a rollback, a release, the next job):
// the adapters refuse with this before spawning.
export class StoppedError extends HoldfastError {
  override name = 'StoppedError';
  constructor(what: string) {
    super(`not started, holdfast is stopping (interrupted): ${what}`);
  }
}
