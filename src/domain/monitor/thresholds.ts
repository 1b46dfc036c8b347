import { SNAP_TYPES, type SnapType, isSnapType } from '../snap-types.js';
import { parseAge } from '../units.js';

// What monitor measures an age against: each snapshot type's freshness, and replication lag.
export type Measure = SnapType | 'lag';
export const MEASURES: readonly Measure[] = [...SNAP_TYPES, 'lag'];

// Seconds per measure; 0 turns that check off.
export type Limits = Readonly<Record<Measure, number>>;

export interface Thresholds {
  readonly warn: Limits;
  readonly crit: Limits;
}

const H = 3600;
const D = 86_400;
// sanoid's defaults where it has them (hourly 90m/6h, daily 28h/32h, monthly 32d/40d); a
// cron-driven frequent allows a few missed runs; lag allows one missed daily send.
export const DEFAULT_THRESHOLDS: Thresholds = {
  warn: { frequent: 1 * H, hourly: 90 * 60, daily: 28 * H, weekly: 8 * D, monthly: 32 * D, yearly: 367 * D, lag: 26 * H },
  crit: { frequent: 4 * H, hourly: 6 * H, daily: 32 * H, weekly: 10 * D, monthly: 40 * D, yearly: 400 * D, lag: 50 * H },
};

// "hourly=90m, daily=28h, lag=2d" → per-measure seconds, or the first problem.
export function parseLimits(text: string): { limits: Partial<Record<Measure, number>> } | { error: string } {
  const limits: Partial<Record<Measure, number>> = {};
  for (const item of text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const m = /^([a-z]+)\s*=\s*(\S+)$/.exec(item);
    if (!m) return { error: `"${item}" is not TYPE=AGE (e.g. hourly=90m)` };
    const [, what, age] = m as unknown as [string, string, string];
    if (!isSnapType(what) && what !== 'lag') return { error: `"${what}" is not a snapshot type or lag (${MEASURES.join(', ')})` };
    const seconds = parseAge(age);
    if (seconds === undefined) return { error: `"${age}" is not an age (e.g. 45m, 28h, 8d, 2w; 0 turns the check off)` };
    limits[what] = seconds;
  }
  return { limits };
}

// Defaults, then the config's, then the command line's: later wins per measure.
export function mergeThresholds(base: Thresholds, ...layers: { warn?: Partial<Limits>; crit?: Partial<Limits> }[]): Thresholds {
  let t = base;
  for (const l of layers) t = { warn: { ...t.warn, ...l.warn }, crit: { ...t.crit, ...l.crit } };
  return t;
}
