import { type SnapType, isSnapType } from '../../../src/domain/snap-types.js';
import { type WallTime, formatWallTime } from '../../../src/domain/wall-time.js';

// What a managed snapshot name tells: `<prefix>_YYYY-MM-DD_HH:MM:SS_<type>` (pyznap's format).
export interface ParsedSnapshotName {
  readonly prefix: string;
  readonly time: WallTime;
  readonly type: SnapType;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
// sanoid marks names taken in the repeated DST hour with a "dst" suffix on the time.
const TIME = /^(\d{2}):(\d{2}):(\d{2})(?:dst)?$/;
// sanoid writes "frequently" where pyznap writes "frequent".
const TYPE_ALIASES: Record<string, SnapType> = { frequently: 'frequent' };

// Build the part after "@" for a new snapshot.
export function formatSnapshotName(prefix: string, time: WallTime, type: SnapType): string {
  return `${prefix}_${formatWallTime(time)}_${type}`;
}

// Parse the part after "@"; undefined when it is not in the managed format. The prefix is
// everything before the last three "_" fields, so prefixes may themselves contain "_".
export function parseSnapshotName(name: string): ParsedSnapshotName | undefined {
  const fields = name.split('_');
  if (fields.length < 4) return undefined;
  const rawType = fields[fields.length - 1]!;
  const type = isSnapType(rawType) ? rawType : TYPE_ALIASES[rawType];
  if (type === undefined) return undefined;
  const d = DATE.exec(fields[fields.length - 3]!);
  const t = TIME.exec(fields[fields.length - 2]!);
  if (!d || !t) return undefined;
  const time: WallTime = {
    year: Number(d[1]),
    month: Number(d[2]),
    day: Number(d[3]),
    hour: Number(t[1]),
    minute: Number(t[2]),
    second: Number(t[3]),
  };
  if (!plausible(time)) return undefined;
  return { prefix: fields.slice(0, -3).join('_'), time, type };
}

function plausible(t: WallTime): boolean {
  return t.month >= 1 && t.month <= 12 && t.day >= 1 && t.day <= 31 && t.hour <= 23 && t.minute <= 59 && t.second <= 60;
}
