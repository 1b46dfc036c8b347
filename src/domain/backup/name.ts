import { DateTime } from 'luxon';
import { luxonZone } from './duration.js';

// snapshotbackup's names: the ISO 8601 time the backup was frozen, with its UTC offset, e.g.
// 2026-11-22T21:46:37+01:00. ':' is valid in btrfs names; the offset makes every name an instant.
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:?\d{2})$/;

// The name of a backup frozen at `epochMs`, in `zone` ("local", "UTC" or an IANA name).
export function formatBackupName(epochMs: number, zone: string): string {
  return DateTime.fromMillis(epochMs, { zone: luxonZone(zone) }).toFormat("yyyy-MM-dd'T'HH:mm:ssZZ");
}

// The instant a backup name stands for, or undefined when the name is not a backup's (such
// entries, the working copy ".sync" included, are never counted, pruned or decayed).
export function parseBackupName(name: string): number | undefined {
  if (!ISO_WITH_OFFSET.test(name)) return undefined;
  const dt = DateTime.fromISO(name, { setZone: true });
  return dt.isValid ? dt.toMillis() : undefined;
}

// How a time reads in explanations: the same form as the names, in the policy's zone.
export function formatInstant(epochMs: number, zone: string): string {
  return formatBackupName(epochMs, zone);
}
