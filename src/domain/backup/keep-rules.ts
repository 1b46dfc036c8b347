import type { KeepRule } from '../retention/rule.js';
import { type BackupEntry, byTime, firstPerPeriod } from './entry.js';
import { formatInstant } from './name.js';
import type { RetentionPeriod } from './duration.js';

// The latest backup is always kept, by prune and by decay. When the clock stepped back the
// newest by name and the most recently created differ; both are kept then.
export function keepLatest(): KeepRule<BackupEntry> {
  return (candidates) => {
    const kept = new Map<BackupEntry, string>();
    if (candidates.length === 0) return kept;
    const byName = [...candidates].sort(byTime).at(-1)!;
    const created = [...candidates].sort((a, b) => a.order - b.order).at(-1)!;
    kept.set(byName, 'the latest backup (always kept)');
    if (created !== byName) kept.set(created, 'the most recently created backup (always kept; the clock went back since)');
    return kept;
  };
}

// Everything not older than `period`: retain_all, and what decay leaves.
export function keepSince(key: string, period: RetentionPeriod, startMs: number, zone: string): KeepRule<BackupEntry> {
  const why = `inside ${key} (${period.text}: since ${formatInstant(startMs, zone)})`;
  return (candidates) => new Map(candidates.filter((b) => b.timeMs >= startMs).map((b) => [b, why]));
}

// The first backup of each calendar day (`dayOf` gives the day in the policy's zone), for days
// inside retain_daily.
export function keepDailiesSince(period: RetentionPeriod, startMs: number, dayOf: (b: BackupEntry) => string): KeepRule<BackupEntry> {
  return (candidates) => {
    const kept = new Map<BackupEntry, string>();
    for (const [day, b] of firstPerPeriod(candidates, dayOf)) {
      if (b.timeMs >= startMs) kept.set(b, `the daily of ${day} (its first backup), inside retain_daily (${period.text})`);
    }
    return kept;
  };
}

// The first backup of each ISO week, forever (only decay removes weeklies).
export function keepWeeklies(weekOf: (b: BackupEntry) => string): KeepRule<BackupEntry> {
  return (candidates) => {
    const kept = new Map<BackupEntry, string>();
    for (const [week, b] of firstPerPeriod(candidates, weekOf)) {
      kept.set(b, `the weekly of ${week} (its first backup; weeklies are kept until decay)`);
    }
    return kept;
  };
}
