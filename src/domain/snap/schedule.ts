import { type SnapType } from '../snap-types.js';
import { type WallTime, isoWeek } from '../wall-time.js';

// The calendar period a wall time falls in, per type: two snapshots of a type in the same
// period are duplicates. pyznap's boundaries: minute, hour, day, ISO week, month, year.
export function periodKey(type: SnapType, t: WallTime): string {
  switch (type) {
    case 'yearly':
      return `${t.year}`;
    case 'monthly':
      return `${t.year}-${t.month}`;
    case 'weekly': {
      const w = isoWeek(t.year, t.month, t.day);
      return `${w.weekYear}-W${w.week}`;
    }
    case 'daily':
      return `${t.year}-${t.month}-${t.day}`;
    case 'hourly':
      return `${t.year}-${t.month}-${t.day} ${t.hour}`;
    case 'frequent':
      return `${t.year}-${t.month}-${t.day} ${t.hour}:${t.minute}`;
  }
}

export interface DueDecision {
  readonly type: SnapType;
  readonly due: boolean;
  readonly why: string;
}

const PERIOD_WORD: Record<SnapType, string> = {
  yearly: 'year',
  monthly: 'month',
  weekly: 'ISO week',
  daily: 'day',
  hourly: 'hour',
  frequent: 'minute',
};

// Whether a snapshot of `type` is due at `now`, given the name times of the existing snapshots
// of that type. Due exactly when none of them falls in now's period. For a clock that only moves
// forward this is pyznap's rule ("the field differs from the newest"); when the clock steps back
// or a DST hour repeats, it never produces a second snapshot for a period that already has one.
export function isDue(type: SnapType, existing: readonly WallTime[], now: WallTime): DueDecision {
  const key = periodKey(type, now);
  return dueFrom(
    type,
    existing.length,
    existing.some((t) => periodKey(type, t) === key),
  );
}

// The same from counts: how many snapshots of `type` exist, and whether one is in now's period.
export function dueFrom(type: SnapType, existing: number, oneInPeriod: boolean): DueDecision {
  if (existing === 0) return { type, due: true, why: `no ${type} snapshot yet` };
  return oneInPeriod
    ? { type, due: false, why: `this ${PERIOD_WORD[type]} already has a ${type} snapshot` }
    : { type, due: true, why: `no ${type} snapshot in this ${PERIOD_WORD[type]} yet` };
}
