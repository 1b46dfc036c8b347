import { DateTime } from 'luxon';
import { luxonZone } from './duration.js';

// One finished (read-only) backup as the retention rules see it.
export interface BackupEntry {
  readonly name: string; // the ISO 8601 name
  readonly timeMs: number; // the instant in the name
  readonly order: number; // creation order on the filesystem (btrfs generation): higher is newer
}

// Oldest first by the time in the name; creation order breaks ties.
export const byTime = (a: BackupEntry, b: BackupEntry): number => a.timeMs - b.timeMs || a.order - b.order;

// The calendar day and ISO week a backup falls in, in the policy's zone.
export function dayOf(timeMs: number, zone: string): string {
  return DateTime.fromMillis(timeMs, { zone: luxonZone(zone) }).toISODate() ?? '';
}

export function weekOf(timeMs: number, zone: string): string {
  const dt = DateTime.fromMillis(timeMs, { zone: luxonZone(zone) });
  return `${dt.weekYear}-W${String(dt.weekNumber).padStart(2, '0')}`;
}

// The first backup (by time) of every period, keyed by period: "the daily" and "the weekly".
// The first one never changes as later backups of the period arrive, so a kept weekly stays
// the same backup from the day it is taken.
export function firstPerPeriod(backups: readonly BackupEntry[], key: (b: BackupEntry) => string): Map<string, BackupEntry> {
  const first = new Map<string, BackupEntry>();
  for (const b of [...backups].sort(byTime)) {
    const k = key(b);
    if (!first.has(k)) first.set(k, b);
  }
  return first;
}
