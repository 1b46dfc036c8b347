// A wall-clock time as written in a snapshot name: no zone, because names carry none. The due
// rules compare calendar fields, so the repeated hour of a DST change never makes two names clash.
export interface WallTime {
  readonly year: number;
  readonly month: number; // 1-12
  readonly day: number; // 1-31
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

// "2026-11-22_21:46:37", the timestamp part of a snapshot name.
export function formatWallTime(t: WallTime): string {
  return `${pad(t.year, 4)}-${pad(t.month)}-${pad(t.day)}_${pad(t.hour)}:${pad(t.minute)}:${pad(t.second)}`;
}

// Total order on wall times (for "newest by name" explanations, never for retention order).
export function compareWallTime(a: WallTime, b: WallTime): number {
  return a.year - b.year || a.month - b.month || a.day - b.day || a.hour - b.hour || a.minute - b.minute || a.second - b.second;
}

// ISO-8601 week-numbering year and week of a calendar date (pure arithmetic, zone-free).
export function isoWeek(year: number, month: number, day: number): { weekYear: number; week: number } {
  const date = Date.UTC(year, month - 1, day);
  const dow = (new Date(date).getUTCDay() + 6) % 7; // Monday = 0
  const thursday = date + (3 - dow) * 86_400_000;
  const weekYear = new Date(thursday).getUTCFullYear();
  const jan1 = Date.UTC(weekYear, 0, 1);
  const week = 1 + Math.floor((thursday - jan1) / (7 * 86_400_000));
  return { weekYear, week };
}
