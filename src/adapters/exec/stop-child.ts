import { HoldfastError } from '../../domain/errors.js';

// How long a child may take to end after SIGTERM before it gets SIGKILL (an interrupted run,
// a timeout, a pipeline stage ended after another failed): execa's forceKillAfterDelay.
export const STOP_GRACE_MS = 3000;

// Why: after an interruption nothing new may start (a rollback, a release, the next job):
// the adapters refuse with this before spawning.
export class StoppedError extends HoldfastError {
  override name = 'StoppedError';
  constructor(what: string) {
    super(`not started, holdfast is stopping (interrupted): ${what}`);
  }
}
