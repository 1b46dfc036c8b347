import { DateTime, Duration, type DurationLikeObject } from 'luxon';

// A retention period as written in the config ("1 week", "1 year 6 months", "36 hours"),
// kept as calendar units so that "1 month" stays a calendar month (luxon does the arithmetic).
export interface RetentionPeriod {
  readonly text: string; // as the user wrote it, for explanations
  readonly units: Readonly<DurationLikeObject>;
}

const UNITS: Record<string, keyof DurationLikeObject> = {
  s: 'seconds',
  sec: 'seconds',
  secs: 'seconds',
  second: 'seconds',
  seconds: 'seconds',
  min: 'minutes',
  mins: 'minutes',
  minute: 'minutes',
  minutes: 'minutes',
  h: 'hours',
  hr: 'hours',
  hrs: 'hours',
  hour: 'hours',
  hours: 'hours',
  d: 'days',
  day: 'days',
  days: 'days',
  w: 'weeks',
  wk: 'weeks',
  week: 'weeks',
  weeks: 'weeks',
  mo: 'months',
  month: 'months',
  months: 'months',
  y: 'years',
  yr: 'years',
  year: 'years',
  years: 'years',
};

const HINT = 'write a number and a unit, e.g. "1 day", "2 weeks", "1 month", "1 year 6 months" (or ISO 8601: P1M)';

// Parse a period. snapshotbackup wrote them quoted ('1 week'), so one pair of quotes is dropped.
export function parsePeriod(raw: string): { value: RetentionPeriod } | { error: string } {
  const text = raw
    .trim()
    .replace(/^(['"])(.*)\1$/, '$2')
    .trim();
  if (text === '') return { error: `the period is empty; ${HINT}` };
  if (/^P/i.test(text)) {
    const d = Duration.fromISO(text.toUpperCase());
    return d.isValid ? { value: { text, units: d.toObject() } } : { error: `"${text}" is not an ISO 8601 duration; ${HINT}` };
  }
  if (text === '0') return { value: { text, units: { seconds: 0 } } };
  const units: DurationLikeObject = {};
  const rest = text.toLowerCase().replace(/(\d+)\s*([a-z]+)/g, (_, n: string, u: string) => {
    const unit = UNITS[u];
    if (!unit) return `\u0000${u}`;
    units[unit] = (units[unit] ?? 0) + Number(n);
    return ' ';
  });
  const bad = /\u0000([a-z]+)/.exec(rest);
  if (bad)
    return {
      error: `"${bad[1]}" in "${text}" is not a unit (use seconds, minutes, hours, days, weeks, months or years; "m" is ambiguous); ${HINT}`,
    };
  if (Object.keys(units).length === 0 || rest.replace(/\band\b|,/g, ' ').trim() !== '')
    return { error: `"${text}" is not a period; ${HINT}` };
  return { value: { text, units } };
}

// The instant `period` before `nowMs`, in calendar terms of `zone` ("1 month" before 31 March
// is the end of February; a day across a DST change is 23 or 25 hours).
export function periodStart(nowMs: number, period: RetentionPeriod, zone: string): number {
  return DateTime.fromMillis(nowMs, { zone: luxonZone(zone) })
    .minus(period.units)
    .toMillis();
}

// holdfast's zone words ("local", "UTC", IANA) in luxon's terms.
export function luxonZone(zone: string): string {
  return zone === 'local' ? 'system' : zone === 'utc' ? 'UTC' : zone;
}
