import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BtrfsFs, entries, mountBtrfs, unmountAll } from '../helpers/btrfs-lab.js';
import { must } from '../helpers/run.js';
import { type Job, makeJob, namesAt } from './support/jobs.js';

// prune and decay over a simulated year on a real btrfs: a daily backup at 03:00 for all of
// 2025 and hourly ones (at :30) for its last two days, made as read-only snapshots with chosen
// names; then `holdfast prune` and `holdfast decay` under faketime at 2026-01-01 00:00 UTC.
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const dailies = Array.from({ length: 365 }, (_, i) => Date.UTC(2025, 0, 1, 3) + i * DAY);
const hourlies = Array.from({ length: 48 }, (_, i) => Date.UTC(2025, 11, 30, 0, 30) + i * HOUR);
const times = [...dailies, ...hourlies].sort((a, b) => a - b);
const NOW = '2026-01-01 00:00:00';

let fs: BtrfsFs;
beforeAll(async () => {
  fs = await mountBtrfs('retention', 512);
}, 60_000);
afterAll(unmountAll);

// Read-only snapshots of the working copy, named by `names`, oldest first, in one bash loop.
async function history(job: Job, names: readonly string[]): Promise<void> {
  expect((await job.hf(['setup-backup', job.name])).code).toBe(0);
  const list = join(fs.dir, `${job.name}.names`);
  writeFileSync(list, `${names.join('\n')}\n`);
  await must(
    [
      'bash',
      '-c',
      'while IFS= read -r n; do btrfs subvolume snapshot -r "$1/.sync" "$1/$n" >/dev/null || exit 1; done < "$2"',
      'history',
      job.backups,
      list,
    ],
    { timeoutMs: 120_000 },
  );
}

const backupsIn = (job: Job): string[] => entries(job.backups).filter((n) => n !== '.sync');

describe('a simulated year', () => {
  let job: Job;
  // Reference, written independently of the planner (UTC; ISO weeks start on Monday).
  const pruneKeeps = times.filter((t) => {
    const d = new Date(t);
    if (t >= Date.UTC(2025, 11, 31)) return true; // retain_all = 1 day
    if (t >= Date.UTC(2025, 11, 1)) return t === times.find((u) => new Date(u).toISOString().slice(0, 10) === d.toISOString().slice(0, 10)); // first of its day
    return d.getUTCDay() === 1 || t === times[0]; // first of its week: Mondays 03:00, and 1 January
  });

  it("prune keeps the last day, December's dailies, one weekly per ISO week and the latest: exactly", async () => {
    job = makeJob(fs, 'year', 'retain_all = 1 day\nretain_daily = 1 month\ndecay = 6 months');
    await history(job, namesAt(times));
    expect(backupsIn(job)).toHaveLength(413);

    const dry = await job.hf(['--dry-run', 'prune', 'year'], NOW);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/^prune year: 310 to delete, 103 to keep$/m);
    expect(dry.stdout).toMatch(
      /^ {2}delete 2025-01-02T03:00:00\+00:00 {2}\(older than retain_all \(1 day: before 2025-12-31T00:00:00\+00:00\), older than retain_daily/m,
    );
    expect(dry.stdout).toMatch(/^ {2}keep {3}2025-12-31T23:30:00\+00:00 {2}\(the latest backup \(always kept\); inside retain_all/m);
    expect(backupsIn(job)).toHaveLength(413);

    const r = await job.hf(['prune', 'year'], NOW);
    expect(r.code, r.stderr).toBe(0);
    expect(pruneKeeps).toHaveLength(25 + 30 + 48);
    expect(backupsIn(job)).toEqual(namesAt(pruneKeeps).sort());
    expect(r.stderr).toMatch(/INFO {2}prune year: deleted 2025-01-02T03:00:00\+00:00 \(older than retain_all/);
    expect(r.stderr).toMatch(/INFO {2}prune year: deleted 310, kept 103/);
  });

  it('decay then deletes everything before 1 July 2025; a second prune deletes nothing', async () => {
    const json = await job.hf(['--json', '--dry-run', 'decay', 'year'], NOW);
    const plan = JSON.parse(json.stdout);
    expect(
      plan.verdicts
        .filter((v: { keep: boolean }) => !v.keep)
        .every((v: { reasons: string[] }) => v.reasons[0] === 'older than decay (6 months: before 2025-07-01T00:00:00+00:00)'),
    ).toBe(true);
    const r = await job.hf(['decay', 'year'], NOW);
    expect(r.code, r.stderr).toBe(0);
    expect(backupsIn(job)).toEqual(namesAt(pruneKeeps.filter((t) => t >= Date.UTC(2025, 6, 1))).sort());
    const again = await job.hf(['prune', 'year'], NOW);
    expect(again.stdout).toMatch(/^prune year: 0 to delete/m);
  });
});

describe('the latest backup always stays', () => {
  it('decay keeps the latest when all are older than decay; prune with nothing retained keeps it too', async () => {
    const job = makeJob(fs, 'stale', 'retain_all = 0\nretain_daily = 0\ndecay = 1 year');
    const old = [Date.UTC(2020, 0, 1, 1), Date.UTC(2020, 0, 1, 2), Date.UTC(2020, 0, 1, 3)];
    await history(job, namesAt(old));
    const p = await job.hf(['prune', 'stale'], NOW);
    expect(p.code, p.stderr).toBe(0);
    expect(backupsIn(job)).toEqual(namesAt([old[0]!, old[2]!])); // the weekly, the latest
    const d = await job.hf(['decay', 'stale'], NOW);
    expect(d.code, d.stderr).toBe(0);
    expect(backupsIn(job)).toEqual(namesAt([old[2]!]));
    expect((await job.hf(['list', 'stale'], NOW)).stdout).toMatch(
      /2020-01-01T03:00:00\+00:00 +2191 d +keep +keep +the latest backup \(always kept\)/,
    );
  });
});
