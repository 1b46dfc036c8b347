import { describe, expect, it } from 'vitest';
import { isDue, periodKey } from '../../src/domain/snap/schedule.js';
import type { WallTime } from '../../src/domain/wall-time.js';
import { isoWeek } from '../../src/domain/wall-time.js';
import { wallTimeAt } from '../../src/domain/zone.js';

const w = (s: string): WallTime => {
  const m = /^(\d+)-(\d+)-(\d+) (\d+):(\d+)(?::(\d+))?$/.exec(s)!;
  return { year: +m[1]!, month: +m[2]!, day: +m[3]!, hour: +m[4]!, minute: +m[5]!, second: +(m[6] ?? 0) };
};

describe('due rules (pyznap-spec §7 boundaries)', () => {
  it('takes the first snapshot of a type', () => {
    expect(isDue('hourly', [], w('2020-01-01 10:30')).due).toBe(true);
  });

  it.each([
    ['frequent', '2020-01-01 10:30:05', '2020-01-01 10:30:59', false],
    ['frequent', '2020-01-01 10:30:59', '2020-01-01 10:31:00', true],
    ['hourly', '2020-01-01 10:00', '2020-01-01 10:59', false],
    ['hourly', '2020-01-01 10:59', '2020-01-01 11:00', true],
    ['daily', '2020-01-01 00:00', '2020-01-01 23:45', false],
    ['daily', '2020-01-01 23:45', '2020-01-02 00:00', true],
    ['daily', '2020-01-05 00:00', '2020-02-05 00:00', true], // same day-of-month, a month later
    ['weekly', '2020-01-06 00:00', '2020-01-12 23:59', false], // Monday to Sunday
    ['weekly', '2020-01-12 23:59', '2020-01-13 00:00', true], // next Monday
    ['weekly', '2019-01-07 00:00', '2020-01-06 00:00', true], // week 2 both years
    ['monthly', '2020-01-31 00:00', '2020-02-01 00:00', true],
    ['monthly', '2019-03-01 00:00', '2020-03-01 00:00', true],
    ['monthly', '2020-03-01 00:00', '2020-03-31 23:59', false],
    ['yearly', '2020-12-31 23:59', '2021-01-01 00:00', true],
    ['yearly', '2020-01-01 00:00', '2020-12-31 23:59', false],
  ] as const)('%s: last %s, now %s → due %s', (type, last, now, due) => {
    expect(isDue(type, [w(last)], w(now)).due).toBe(due);
  });

  it('never takes a second snapshot for a period when the clock steps back', () => {
    // hourlies at 09:00 and 10:00; at 10:30 the clock is stepped back to 09:30.
    const existing = [w('2020-01-01 09:00'), w('2020-01-01 10:00')];
    expect(isDue('hourly', existing, w('2020-01-01 09:30')).due).toBe(false);
    expect(isDue('hourly', existing, w('2020-01-01 10:05')).due).toBe(false);
    expect(isDue('hourly', existing, w('2020-01-01 11:00')).due).toBe(true);
  });

  it('keeps taking snapshots after a snapshot named in the far future (a bad RTC)', () => {
    expect(isDue('daily', [w('2099-01-01 00:00')], w('2020-01-02 00:00')).due).toBe(true);
  });

  it('does not repeat the hour that DST repeats (Europe/Berlin, 2018-10-28)', () => {
    const first = wallTimeAt(Date.UTC(2018, 9, 28, 0, 0), 'Europe/Berlin'); // 02:00 CEST
    const second = wallTimeAt(Date.UTC(2018, 9, 28, 1, 0), 'Europe/Berlin'); // 02:00 CET
    expect(first).toEqual(second);
    expect(isDue('hourly', [first], second).due).toBe(false);
    expect(isDue('frequent', [first], second).due).toBe(false);
  });

  it('takes the hour after the spring-forward gap (Europe/Berlin, 2018-03-25)', () => {
    const before = wallTimeAt(Date.UTC(2018, 2, 25, 0, 45), 'Europe/Berlin'); // 01:45 CET
    const after = wallTimeAt(Date.UTC(2018, 2, 25, 1, 0), 'Europe/Berlin'); // 03:00 CEST
    expect(after.hour).toBe(3);
    expect(isDue('hourly', [before], after).due).toBe(true);
    expect(isDue('daily', [before], after).due).toBe(false);
  });

  it('computes ISO weeks across year ends', () => {
    expect(isoWeek(2020, 12, 31)).toEqual({ weekYear: 2020, week: 53 });
    expect(isoWeek(2021, 1, 3)).toEqual({ weekYear: 2020, week: 53 });
    expect(isoWeek(2021, 1, 4)).toEqual({ weekYear: 2021, week: 1 });
    expect(isoWeek(2018, 12, 31)).toEqual({ weekYear: 2019, week: 1 });
    expect(periodKey('weekly', w('2018-12-31 00:00'))).toBe(periodKey('weekly', w('2019-01-06 23:00')));
  });
});
