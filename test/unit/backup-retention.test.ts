import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type BackupEntry, weekOf } from '../../src/domain/backup/entry.js';
import { formatBackupName } from '../../src/domain/backup/name.js';
import { type RetentionPeriod, parsePeriod } from '../../src/domain/backup/duration.js';
import { type BackupRetention, planDecay, planPrune } from '../../src/domain/backup/retention-plan.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const period = (text: string): RetentionPeriod => {
  const r = parsePeriod(text);
  if ('error' in r) throw new Error(r.error);
  return r.value;
};
const policy = (all: string, daily: string, decay?: string, zone = 'UTC'): BackupRetention => ({
  retainAll: period(all),
  retainDaily: period(daily),
  decay: decay ? period(decay) : undefined,
  zone,
});
// Backups at the given instants, created in that order.
const at = (times: readonly number[], zone = 'UTC'): BackupEntry[] =>
  times.map((t, i) => ({ name: formatBackupName(t, zone), timeMs: t, order: i + 1 }));
const kept = (plan: { verdicts: readonly { name: string; keep: boolean }[] }): string[] =>
  plan.verdicts.filter((v) => v.keep).map((v) => v.name);
const iso = (t: number): string => formatBackupName(t, 'UTC');

describe("prune: snapshotbackup's rules, one reason per decision", () => {
  const now = Date.UTC(2026, 2, 31, 12); // Tue 31 March 2026, 12:00 UTC
  it.each([
    {
      why: 'everything inside retain_all stays, the boundary included',
      times: [now - 2 * DAY, now - DAY, now - DAY + 1000, now - HOUR],
      p: policy('1 day', '0'),
      keep: [now - 2 * DAY /* weekly of its week */, now - DAY, now - DAY + 1000, now - HOUR],
    },
    {
      why: 'inside retain_daily only the first backup of each day stays',
      times: [Date.UTC(2026, 2, 27, 1), Date.UTC(2026, 2, 27, 5), Date.UTC(2026, 2, 28, 9), Date.UTC(2026, 2, 28, 10), now - HOUR],
      p: policy('1 hour', '1 week'),
      keep: [Date.UTC(2026, 2, 27, 1), Date.UTC(2026, 2, 28, 9), now - HOUR],
    },
    {
      why: 'outside retain_daily only the first backup of each ISO week stays (Monday starts a week)',
      times: [
        Date.UTC(2026, 0, 4, 8) /* Sun, W01 */,
        Date.UTC(2026, 0, 5, 8) /* Mon, W02 */,
        Date.UTC(2026, 0, 7, 8),
        Date.UTC(2026, 0, 11, 23),
        now - HOUR,
      ],
      p: policy('1 day', '1 week'),
      keep: [Date.UTC(2026, 0, 4, 8), Date.UTC(2026, 0, 5, 8), now - HOUR],
    },
    {
      why: 'the latest stays even when no rule keeps it',
      times: [Date.UTC(2025, 0, 6, 8), Date.UTC(2025, 0, 6, 9)],
      p: policy('0', '0'),
      keep: [Date.UTC(2025, 0, 6, 8), Date.UTC(2025, 0, 6, 9)],
    },
    {
      why: '"1 month" is a calendar month: 31 March minus a month is 28 February',
      times: [Date.UTC(2026, 1, 28, 11, 59, 59), Date.UTC(2026, 1, 28, 12), Date.UTC(2026, 1, 28, 13), now - HOUR],
      p: policy('1 month', '0'),
      keep: [Date.UTC(2026, 1, 28, 11, 59, 59) /* weekly of W09 */, Date.UTC(2026, 1, 28, 12), Date.UTC(2026, 1, 28, 13), now - HOUR],
    },
  ])('$why', ({ times, p, keep }) => {
    const plan = planPrune(at(times), p, now);
    expect(kept(plan)).toEqual(keep.map(iso));
    for (const v of plan.verdicts) expect(v.reasons.length).toBeGreaterThan(0);
  });

  it('calendar month boundary, one second apart', () => {
    const plan = planPrune(at([Date.UTC(2026, 1, 28, 11, 59, 59), Date.UTC(2026, 1, 28, 11, 59, 58), now]), policy('1 month', '0'), now);
    // 11:59:58 is the weekly (first of W09), 11:59:59 is outside retain_all and not first: deleted
    expect(plan.deletes).toEqual([iso(Date.UTC(2026, 1, 28, 11, 59, 59))]);
    expect(plan.verdicts.find((v) => !v.keep)!.reasons[0]).toMatch(
      /^older than retain_all \(1 month: before 2026-02-28T12:00:00\+00:00\), older than retain_daily/,
    );
  });

  it("days and weeks are counted in the policy's zone, across a DST change", () => {
    // 23:30 UTC on 28 March is 00:30 on Sunday 29 March in Berlin (CET → CEST that night):
    // in Berlin it is the daily of the 29th, so the 10:00 UTC backup is not (in UTC it would be).
    const times = [Date.UTC(2026, 2, 28, 22, 30), Date.UTC(2026, 2, 28, 23, 30), Date.UTC(2026, 2, 29, 10), Date.UTC(2026, 2, 29, 11, 50)];
    const entries = at(times, 'Europe/Berlin');
    expect(entries.map((e) => e.name)).toEqual([
      '2026-03-28T23:30:00+01:00',
      '2026-03-29T00:30:00+01:00',
      '2026-03-29T12:00:00+02:00',
      '2026-03-29T13:50:00+02:00',
    ]);
    const now = Date.UTC(2026, 2, 29, 12);
    const berlin = planPrune(entries, policy('1 hour', '1 month', undefined, 'Europe/Berlin'), now);
    expect(berlin.deletes).toEqual([entries[2]!.name]);
    expect(berlin.verdicts[1]!.reasons.join()).toContain('the daily of 2026-03-29');
    const utc = planPrune(entries, policy('1 hour', '1 month', undefined, 'UTC'), now);
    expect(utc.deletes).toEqual([entries[1]!.name]);
  });

  it('explains a deletion inside retain_daily by naming the daily of that day', () => {
    const times = [Date.UTC(2026, 2, 30, 1), Date.UTC(2026, 2, 30, 2), now];
    const plan = planPrune(at(times), policy('1 hour', '1 month'), now);
    expect(plan.deletes).toEqual([iso(times[1]!)]);
    expect(plan.verdicts[1]!.reasons).toEqual([
      `older than retain_all (1 hour: before 2026-03-31T11:00:00+00:00), not the daily of 2026-03-30 (that is ${iso(times[0]!)}), not the weekly of 2026-W14 (that is ${iso(times[0]!)}), not the latest`,
    ]);
  });

  it('keeps both the newest by name and the most recently created when the clock went back', () => {
    const entries: BackupEntry[] = [
      { name: iso(Date.UTC(2026, 0, 10, 10)), timeMs: Date.UTC(2026, 0, 10, 10), order: 2 },
      { name: iso(Date.UTC(2026, 0, 10, 9)), timeMs: Date.UTC(2026, 0, 10, 9), order: 3 }, // taken after a clock step back
      { name: iso(Date.UTC(2026, 0, 10, 8)), timeMs: Date.UTC(2026, 0, 10, 8), order: 1 },
    ];
    const plan = planPrune(entries, policy('0', '0'), Date.UTC(2026, 5, 1));
    expect(kept(plan).sort()).toEqual([entries[0]!.name, entries[1]!.name, entries[2]!.name].sort());
    expect(plan.verdicts.find((v) => v.name === entries[1]!.name)!.reasons[0]).toMatch(/most recently created/);
  });
});

describe('a simulated year of hourly backups (UTC)', () => {
  const start = Date.UTC(2025, 0, 1);
  const times = Array.from({ length: 365 * 24 }, (_, i) => start + i * HOUR); // 2025-01-01 00:00 … 2025-12-31 23:00
  const entries = at(times);
  const now = Date.UTC(2026, 0, 1);

  it('prune keeps the last week, the dailies of December, a weekly per ISO week and the latest: 240', () => {
    const plan = planPrune(entries, policy('1 week', '1 month'), now);
    // Reference, written independently: Mondays are the ISO week starts; 2025-01-01 is a Wednesday.
    const expected = times.filter((t) => {
      const d = new Date(t);
      if (t >= Date.UTC(2025, 11, 25)) return true; // retain_all: since 25 Dec 00:00
      if (d.getUTCHours() !== 0) return false;
      if (t >= Date.UTC(2025, 11, 1)) return true; // dailies since 1 Dec
      return d.getUTCDay() === 1 || t === start; // weeklies
    });
    expect(expected).toHaveLength(168 + 24 + 47 + 1);
    expect(kept(plan)).toEqual(expected.map(iso));
    expect(plan.deletes).toHaveLength(times.length - 240);
  });

  it('decay of 6 months keeps everything since 1 July and the latest; pruning the rest again deletes nothing', () => {
    const decay = planDecay(entries, policy('1 week', '1 month', '6 months'), now);
    expect(kept(decay)).toEqual(times.filter((t) => t >= Date.UTC(2025, 6, 1)).map(iso));
    const gone = new Set(decay.deletes);
    const left = entries.filter((e) => !gone.has(e.name));
    const pruned = new Set(planPrune(left, policy('1 week', '1 month'), now).deletes);
    expect(
      planPrune(
        left.filter((e) => !pruned.has(e.name)),
        policy('1 week', '1 month'),
        now,
      ).deletes,
    ).toEqual([]);
  });

  it('decay keeps the latest even when every backup is older than decay; unset decay keeps all', () => {
    const old = at([Date.UTC(2020, 0, 1), Date.UTC(2020, 0, 2)]);
    expect(kept(planDecay(old, policy('1 day', '1 month', '1 year'), now))).toEqual([iso(Date.UTC(2020, 0, 2))]);
    expect(planDecay(old, policy('1 day', '1 month'), now).deletes).toEqual([]);
  });
});

describe('prune invariants (property tests)', () => {
  const arb = fc.record({
    offsets: fc.uniqueArray(fc.integer({ min: 0, max: 2 * 365 * 24 * 60 }), { minLength: 1, maxLength: 80 }),
    all: fc.constantFrom('0', '1 hour', '1 day', '1 week'),
    daily: fc.constantFrom('0', '3 days', '1 month'),
    zone: fc.constantFrom('UTC', 'Europe/Berlin', 'America/New_York'),
  });
  it('latest kept, retain_all kept, one weekly per week kept, and pruning twice changes nothing', () => {
    fc.assert(
      fc.property(arb, ({ offsets, all, daily, zone }) => {
        const now = Date.UTC(2026, 0, 1);
        const entries = at(
          offsets.map((m) => now - m * 60_000),
          zone,
        );
        const p = policy(all, daily, undefined, zone);
        const plan = planPrune(entries, p, now);
        const newest = entries.reduce((a, b) => (b.timeMs > a.timeMs ? b : a));
        expect(plan.deletes).not.toContain(newest.name);
        const allStart = now - (all === '0' ? 0 : all === '1 hour' ? HOUR : all === '1 day' ? DAY : 7 * DAY);
        for (const e of entries) if (e.timeMs >= allStart) expect(plan.deletes).not.toContain(e.name);
        for (const v of plan.verdicts) expect(v.reasons.length).toBe(v.keep ? v.reasons.length : 1);
        const firstOfWeek = new Map<string, BackupEntry>();
        for (const e of [...entries].sort((a, b) => a.timeMs - b.timeMs))
          if (!firstOfWeek.has(weekOf(e.timeMs, zone))) firstOfWeek.set(weekOf(e.timeMs, zone), e);
        for (const e of firstOfWeek.values()) expect(plan.deletes).not.toContain(e.name);
        const left = entries.filter((e) => !plan.deletes.includes(e.name));
        expect(planPrune(left, p, now).deletes).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });
});
