import type { Doing, During } from './ports.js';

// Run `work` as the run's named activity when the run records one (cli/interrupt.ts keeps the
// stack, for the line an interruption logs), else simply run it.
export function within<T>(during: During | undefined, doing: Doing, work: () => Promise<T>): Promise<T> {
  return during ? during(doing, work) : work();
}
