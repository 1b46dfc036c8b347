import { DateTime, IANAZone } from 'luxon';
import type { WallTime } from './wall-time.js';

// The zone names use: "local" (the host's zone, as pyznap), "UTC", or an IANA name.
export type NameZone = string;

// Why `zone` cannot be used for names, or undefined when it can.
export function zoneProblem(zone: string): string | undefined {
  if (zone === 'local' || zone === 'UTC' || zone === 'utc') return undefined;
  return IANAZone.isValidZone(zone) ? undefined : `unknown time zone "${zone}" (use local, UTC or an IANA name such as Europe/Berlin)`;
}

// The wall-clock reading of an instant in a zone: what a snapshot taken now is named after.
export function wallTimeAt(epochMs: number, zone: NameZone): WallTime {
  const z = zone === 'local' ? 'system' : zone === 'utc' ? 'UTC' : zone;
  const dt = DateTime.fromMillis(epochMs, { zone: z });
  return { year: dt.year, month: dt.month, day: dt.day, hour: dt.hour, minute: dt.minute, second: dt.second };
}
