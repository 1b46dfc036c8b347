import type { Clock } from '../app/ports.js';

// The only place holdfast reads the time. libfaketime moves it for the whole process.
export const systemClock: Clock = { nowMs: () => Date.now() };

// A pause (a retry's wait), cut short when `stop` fires (an interrupted run starts nothing new).
export function sleep(ms: number, stop: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(t);
      stop.removeEventListener('abort', done);
      resolve();
    };
    const t = setTimeout(done, ms);
    stop.addEventListener('abort', done, { once: true });
  });
}
