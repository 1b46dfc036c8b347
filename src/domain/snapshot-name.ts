import { type SnapType, SNAP_TYPES } from './snap-types.js';
import { type WallTime, formatWallTime } from './wall-time.js';

// What a managed snapshot name tells: `<prefix>_YYYY-MM-DD_HH:MM:SS_<type>` (pyznap's format).
export interface ParsedSnapshotName {
  readonly prefix: string;
  readonly time: WallTime;
  readonly type: SnapType;
}

// The type field → its type; sanoid writes "frequently" where pyznap writes "frequent". A Map, not
// an object literal: "constructor" or "toString" must not read as a type.
const TYPES = new Map<string, SnapType>([...SNAP_TYPES.map((t) => [t, t] as const), ['frequently', 'frequent']]);

// Build the part after "@" for a new snapshot.
export function formatSnapshotName(prefix: string, time: WallTime, type: SnapType): string {
  return `${prefix}_${formatWallTime(time)}_${type}`;
}

// Where a name's fields are, when it is in the managed format: the prefix is everything before
// the last three "_" fields (so prefixes may contain "_"). Scanned by hand, without split or
// regular expressions: clean reads a million of these and needs only the prefix and the type.
interface NameShape {
  readonly prefixEnd: number; // the "_" before the date
  readonly timeAt: number; // the time field's first character
  readonly type: SnapType;
}

const ZERO = 48;
const digit = (name: string, i: number): number => {
  const c = name.charCodeAt(i) - ZERO;
  return c >= 0 && c <= 9 ? c : -1;
};
// The two-digit number at i, or -1.
const two = (name: string, i: number): number => {
  const a = digit(name, i);
  const b = digit(name, i + 1);
  return a < 0 || b < 0 ? -1 : a * 10 + b;
};

function shapeOf(name: string): NameShape | undefined {
  const typeSep = name.lastIndexOf('_');
  const timeSep = typeSep > 0 ? name.lastIndexOf('_', typeSep - 1) : -1;
  const dateSep = timeSep > 0 ? name.lastIndexOf('_', timeSep - 1) : -1;
  if (dateSep < 0) return undefined;
  const type = TYPES.get(name.slice(typeSep + 1));
  if (type === undefined) return undefined;
  // YYYY-MM-DD, a plausible month and day
  const d = dateSep + 1;
  if (timeSep - d !== 10 || name.charCodeAt(d + 4) !== 45 || name.charCodeAt(d + 7) !== 45) return undefined;
  if (two(name, d) < 0 || two(name, d + 2) < 0) return undefined;
  const month = two(name, d + 5);
  const day = two(name, d + 8);
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  // HH:MM:SS, with sanoid's "dst" suffix on a time taken in the repeated DST hour
  const t = timeSep + 1;
  const len = typeSep - t;
  if (len !== 8 && !(len === 11 && name.startsWith('dst', t + 8))) return undefined;
  if (name.charCodeAt(t + 2) !== 58 || name.charCodeAt(t + 5) !== 58) return undefined;
  const hour = two(name, t);
  const minute = two(name, t + 3);
  const second = two(name, t + 6);
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60) return undefined;
  return { prefixEnd: dateSep, timeAt: t, type };
}

// Parse the part after "@"; undefined when it is not in the managed format.
export function parseSnapshotName(name: string): ParsedSnapshotName | undefined {
  const shape = shapeOf(name);
  return shape && { prefix: name.slice(0, shape.prefixEnd), time: timeOf(name, shape), type: shape.type };
}

function timeOf(name: string, s: NameShape): WallTime {
  const d = s.prefixEnd + 1;
  const t = s.timeAt;
  return {
    year: two(name, d) * 100 + two(name, d + 2),
    month: two(name, d + 5),
    day: two(name, d + 8),
    hour: two(name, t),
    minute: two(name, t + 3),
    second: two(name, t + 6),
  };
}

// A name in the managed format with one of `prefixes`, parsed lazily: the prefix and type now,
// the time when something reads it (take and the views do; clean never does).
export class ManagedName implements ParsedSnapshotName {
  private constructor(
    readonly name: string,
    readonly prefix: string,
    readonly type: SnapType,
  ) {}

  static of(name: string, prefixes: readonly string[]): ManagedName | undefined {
    const shape = shapeOf(name);
    if (!shape) return undefined;
    // The policy's own string, not a slice of the name: a million names share a few prefixes.
    const prefix = prefixes.find((p) => p.length === shape.prefixEnd && name.startsWith(p));
    return prefix === undefined ? undefined : new ManagedName(name, prefix, shape.type);
  }

  get time(): WallTime {
    return timeOf(this.name, shapeOf(this.name)!);
  }
}

// The type of a name in the managed format, whatever its prefix (the views count by type).
export const snapshotType = (name: string): SnapType | undefined => shapeOf(name)?.type;
