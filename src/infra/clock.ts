import type { Clock } from '../app/ports.js';

// The only place holdfast reads the time. libfaketime moves it for the whole process.
export const systemClock: Clock = { nowMs: () => Date.now() };
