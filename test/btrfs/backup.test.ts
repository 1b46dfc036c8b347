import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BtrfsFs, entries, isReadOnly, mountBtrfs, unmountAll } from '../helpers/btrfs-lab.js';
import { type Job, ODD, makeJob } from './support/jobs.js';

// snapshotbackup parity on a real btrfs: setup-backup, backup → modify → backup, list, locks.
let fs: BtrfsFs;
let job: Job;
beforeAll(async () => {
  fs = await mountBtrfs('backup');
  job = makeJob(fs, 'home', 'ignore = /cache\nretain_all = 1 week');
}, 60_000);
afterAll(unmountAll);

const T1 = '2026-11-22 20:46:37';
const T2 = '2026-11-23 08:00:00';

describe('holdfast backup', () => {
  it('setup-backup creates the backups subvolume and its working copy; a second run leaves them', async () => {
    const first = await job.hf(['setup-backup', 'home']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain(`created ${job.backups} (a btrfs subvolume)`);
    expect(entries(job.backups)).toEqual(['.sync']);
    expect(await isReadOnly(join(job.backups, '.sync'))).toBe(false);
    const again = await job.hf(['setup-backup', 'home']);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/exists \(a subvolume on btrfs\); left as it is[\s\S]*\.sync exists; left as it is/);
  });

  it('backup → modify → backup: two read-only backups, each with its own version of the files', async () => {
    mkdirSync(join(job.src, ODD), { recursive: true });
    mkdirSync(join(job.src, 'cache'));
    writeFileSync(join(job.src, ODD, 'a.txt'), 'one');
    writeFileSync(join(job.src, 'b.txt'), 'stays');
    writeFileSync(join(job.src, 'gone.txt'), 'deleted later');
    writeFileSync(join(job.src, 'cache', 'junk'), 'ignored');
    const r1 = await job.hf(['backup', 'home'], T1);
    expect(r1.code, r1.stderr).toBe(0);
    expect(r1.stderr).toMatch(/INFO {2}backup home: took 2026-11-22T20:46:37\+00:00 from .* \(rsync [\d.]+ s, 3 files/);
    expect(
      r1.stderr
        .trim()
        .split('\n')
        .every((l) => /^\d{4}-\d\d-\d\dT\S+ (INFO|WARN|ERROR) /.test(l)),
    ).toBe(true);

    writeFileSync(join(job.src, ODD, 'a.txt'), 'two, longer');
    utimesSync(join(job.src, ODD, 'a.txt'), new Date('2030-01-01'), new Date('2030-01-01'));
    rmSync(join(job.src, 'gone.txt'));
    writeFileSync(join(job.src, 'new.txt'), 'new');
    const r2 = await job.hf(['backup', 'home'], T2);
    expect(r2.code, r2.stderr).toBe(0);

    const [b1, b2] = ['2026-11-22T20:46:37+00:00', '2026-11-23T08:00:00+00:00'].map((n) => join(job.backups, n)) as [string, string];
    expect(entries(job.backups)).toEqual(['.sync', '2026-11-22T20:46:37+00:00', '2026-11-23T08:00:00+00:00']);
    expect(await isReadOnly(b1)).toBe(true);
    expect(await isReadOnly(b2)).toBe(true);
    expect(readFileSync(join(b1, ODD, 'a.txt'), 'utf8')).toBe('one');
    expect(readFileSync(join(b2, ODD, 'a.txt'), 'utf8')).toBe('two, longer');
    expect(existsSync(join(b1, 'gone.txt'))).toBe(true);
    expect(existsSync(join(b2, 'gone.txt'))).toBe(false);
    expect(existsSync(join(b1, 'new.txt'))).toBe(false);
    expect(readFileSync(join(b2, 'new.txt'), 'utf8')).toBe('new');
    expect(existsSync(join(b1, 'cache'))).toBe(false);
    expect(() => writeFileSync(join(b1, 'b.txt'), 'x')).toThrow(/EROFS|read-only/i);
  });

  it('list shows every backup with its age and the rule that keeps it', async () => {
    const r = await job.hf(['list', 'home'], '2026-11-23 09:00:00');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/2026-11-22T20:46:37\+00:00 +12 h +keep +keep +inside retain_all \(1 week/);
    expect(r.stdout).toMatch(/2026-11-23T08:00:00\+00:00 +60 min +keep +keep +the latest backup \(always kept\)/);
    const j = JSON.parse((await job.hf(['--json', 'list', 'home'], '2026-11-23 09:00:00')).stdout);
    expect(j.jobs[0].rows.map((x: { name: string }) => x.name)).toEqual(['2026-11-22T20:46:37+00:00', '2026-11-23T08:00:00+00:00']);
  });

  it('--dry-run runs rsync --dry-run, prints the commands and changes nothing', async () => {
    writeFileSync(join(job.src, 'dry.txt'), 'dry');
    const r = await job.hf(['--dry-run', 'backup', 'home'], '2026-11-24 08:00:00');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('--dry-run');
    expect(r.stdout).toContain("btrfs subvolume snapshot -r '");
    expect(entries(job.backups)).toHaveLength(3);
    expect(existsSync(join(job.backups, '.sync', 'dry.txt'))).toBe(false);
  });

  it('a second backup of the same NAME while one runs exits 3 and takes nothing', async () => {
    const holder = spawn('flock', [join(job.locks, 'backup-home.lock'), 'sleep', '30'], { stdio: 'ignore' });
    try {
      await new Promise((r) => setTimeout(r, 300));
      const r = await job.hf(['backup', 'home'], '2026-11-24 09:00:00');
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(/another holdfast run holds .*backup-home\.lock/);
      expect(entries(job.backups)).toHaveLength(3);
    } finally {
      holder.kill();
    }
  });

  it('unknown NAME and a missing backups directory are reported; nothing is created', async () => {
    const unknown = await job.hf(['backup', 'nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no \[backup:nope\] section .*there are: home/);
    const other = makeJob(fs, 'fresh');
    const r = await other.hf(['backup', 'fresh']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/the backups directory .* does not exist; create it with `holdfast setup-backup fresh`/);
    expect(existsSync(other.backups)).toBe(false);
  });
});
