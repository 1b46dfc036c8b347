import { decide } from '../retention/rule.js';
import { type BackupEntry, byTime, dayOf, firstPerPeriod, weekOf } from './entry.js';
import { formatInstant } from './name.js';
import { type RetentionPeriod, periodStart } from './duration.js';
import { keepDailiesSince, keepLatest, keepSince, keepWeeklies } from './keep-rules.js';

// snapshotbackup's retention settings of one backup job, after defaults.
export interface BackupRetention {
  readonly retainAll: RetentionPeriod; // keep everything this young (default 1 day)
  readonly retainDaily: RetentionPeriod; // keep the first backup of each day this young (default 1 month)
  readonly decay: RetentionPeriod | undefined; // decay deletes what is older; unset: nothing decays
  readonly zone: string; // calendar days, weeks and months are counted in this zone
}

// Keep or delete, with every reason that keeps it, or the one reason it goes.
export interface BackupVerdict {
  readonly name: string;
  readonly timeMs: number;
  readonly keep: boolean;
  readonly reasons: readonly string[];
}

// A prune or decay as data: computed first, printed by --dry-run and --json, then executed.
export interface RetentionPlan {
  readonly kind: 'prune' | 'decay';
  readonly nowMs: number;
  readonly verdicts: readonly BackupVerdict[]; // oldest first
  readonly deletes: readonly string[]; // names, oldest first
}

// `prune`: keep everything inside retain_all, the daily of each day inside retain_daily, the
// weekly of every week forever, and the latest always; delete the rest. A pure function of
// the backups, the policy and `nowMs`.
export function planPrune(backups: readonly BackupEntry[], r: BackupRetention, nowMs: number): RetentionPlan {
  const allStart = periodStart(nowMs, r.retainAll, r.zone);
  const dailyStart = periodStart(nowMs, r.retainDaily, r.zone);
  const day = memo((b: BackupEntry) => dayOf(b.timeMs, r.zone));
  const week = memo((b: BackupEntry) => weekOf(b.timeMs, r.zone));
  const firstOfDay = firstPerPeriod(backups, day);
  const firstOfWeek = firstPerPeriod(backups, week);
  const why = (b: BackupEntry): string => {
    const d = day(b);
    const w = week(b);
    const daily =
      b.timeMs >= dailyStart
        ? `not the daily of ${d} (that is ${firstOfDay.get(d)!.name})`
        : `older than retain_daily (${r.retainDaily.text}: before ${formatInstant(dailyStart, r.zone)})`;
    return `older than retain_all (${r.retainAll.text}: before ${formatInstant(allStart, r.zone)}), ${daily}, not the weekly of ${w} (that is ${firstOfWeek.get(w)!.name}), not the latest`;
  };
  const rules = [
    keepLatest(),
    keepSince('retain_all', r.retainAll, allStart, r.zone),
    keepDailiesSince(r.retainDaily, dailyStart, day),
    keepWeeklies(week),
  ];
  return toPlan('prune', nowMs, decide([...backups].sort(byTime), rules, why));
}

// `decay`: delete every backup older than `decay`, except the latest (snapshotbackup's decay
// would delete even that one when no backup ran for longer than the decay period).
export function planDecay(backups: readonly BackupEntry[], r: BackupRetention, nowMs: number): RetentionPlan {
  const sorted = [...backups].sort(byTime);
  const decay = r.decay;
  if (!decay) {
    return toPlan(
      'decay',
      nowMs,
      sorted.map((item) => ({ item, keep: true, reasons: ['decay is not set: nothing decays'] })),
    );
  }
  const start = periodStart(nowMs, decay, r.zone);
  const why = (): string => `older than decay (${decay.text}: before ${formatInstant(start, r.zone)})`;
  return toPlan('decay', nowMs, decide(sorted, [keepLatest(), keepSince('decay', decay, start, r.zone)], why));
}

function toPlan(
  kind: RetentionPlan['kind'],
  nowMs: number,
  verdicts: readonly { item: BackupEntry; keep: boolean; reasons: readonly string[] }[],
): RetentionPlan {
  const out = verdicts.map((v) => ({ name: v.item.name, timeMs: v.item.timeMs, keep: v.keep, reasons: v.reasons }));
  return { kind, nowMs, verdicts: out, deletes: out.filter((v) => !v.keep).map((v) => v.name) };
}

// Calendar keys cost a luxon conversion each: compute them once per backup and plan.
function memo<K, V>(f: (k: K) => V): (k: K) => V {
  const cache = new Map<K, V>();
  return (k) => {
    if (!cache.has(k)) cache.set(k, f(k));
    return cache.get(k)!;
  };
}
