import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BtrfsFs, btrfs, entries, isReadOnly, mountBtrfs, unmountAll } from '../helpers/btrfs-lab.js';
import { holdfast, lockDir, writeConfig } from '../helpers/cli.js';
import { shellJoin } from '../../src/adapters/exec/shell-quote.js';
import { ODD } from './support/jobs.js';

// [btrfs:/PATH] sections: the same counts, due rules and retention engine as ZFS, with read-only
// snapshots in the subvolume's snapshot directory; take and clean cycles under faketime.
let fs: BtrfsFs;
let data: string;
let home: string;
const locks = lockDir();
beforeAll(async () => {
  fs = await mountBtrfs('snap');
  mkdirSync(join(fs.mnt, ODD));
  data = join(fs.mnt, ODD, 'data');
  home = join(data, 'home');
  await btrfs('subvolume', 'create', data);
  await btrfs('subvolume', 'create', home);
}, 60_000);
afterAll(unmountAll);

const snap = (conf: string, faketime: string, args: string[] = []) =>
  holdfast(['--config', conf, '--lock-dir', locks, ...args, 'snap'], { faketime });
const managed = (dir: string): string[] => entries(dir).filter((n) => n.startsWith('holdfast_'));
const fmt = (ms: number): string => new Date(ms).toISOString().replace('T', ' ').slice(0, 19);

describe('btrfs snapshot policies', () => {
  it('30 hourly runs: hourly 3 and daily 2 on the subvolume; its child section inherits daily and sets its own hourly', async () => {
    const conf = writeConfig(
      `[btrfs:${data}]\nhourly = 3\ndaily = 2\nsnap = yes\nclean = yes\ntimezone = UTC\n\n[btrfs:${home}]\nhourly = 1\n`,
    );
    const start = Date.UTC(2026, 0, 1);
    for (let i = 0; i < 30; i++) {
      const r = await snap(conf, fmt(start + i * 3_600_000));
      expect(r.code, r.stderr).toBe(0);
      const now = managed(join(data, '.snapshots'));
      expect(now.filter((n) => n.endsWith('_hourly')).length).toBeLessThanOrEqual(3);
      expect(now.filter((n) => n.endsWith('_daily')).length).toBeLessThanOrEqual(2);
    }
    expect(managed(join(data, '.snapshots'))).toEqual([
      'holdfast_2026-01-01_00:00:00_daily',
      'holdfast_2026-01-02_00:00:00_daily',
      'holdfast_2026-01-02_03:00:00_hourly',
      'holdfast_2026-01-02_04:00:00_hourly',
      'holdfast_2026-01-02_05:00:00_hourly',
    ]);
    expect(managed(join(home, '.snapshots'))).toEqual([
      'holdfast_2026-01-01_00:00:00_daily',
      'holdfast_2026-01-02_00:00:00_daily',
      'holdfast_2026-01-02_05:00:00_hourly',
    ]);
    expect(await isReadOnly(join(data, '.snapshots', 'holdfast_2026-01-02_05:00:00_hourly'))).toBe(true);
    // The snapshot directory is a subvolume of its own; the parent's snapshots never hold the child's.
    expect((await btrfs('subvolume', 'show', join(data, '.snapshots'))).split('\n')[0]).toMatch(/\.snapshots$/);
    expect(entries(join(data, '.snapshots', 'holdfast_2026-01-02_05:00:00_hourly', 'home'))).toEqual([]);
  }, 120_000);

  it('plan and --dry-run print btrfs commands and change nothing; --explain gives every reason', async () => {
    const conf = writeConfig(`[btrfs:${data}]\nhourly = 1\ndaily = 2\nsnap = yes\nclean = yes\ntimezone = UTC\n`);
    const before = managed(join(data, '.snapshots'));
    const r = await snap(conf, '2026-01-02 09:00:00', ['--dry-run']);
    expect(r.code, r.stderr).toBe(0);
    const s = (name: string): string => `${data}/.snapshots/holdfast_2026-01-02_${name}_hourly`;
    expect(r.stdout).toContain(shellJoin(['btrfs', 'subvolume', 'snapshot', '-r', data, s('09:00:00')]));
    expect(r.stdout).toContain(shellJoin(['btrfs', 'subvolume', 'delete', s('03:00:00'), s('04:00:00'), s('05:00:00')]));
    expect(managed(join(data, '.snapshots'))).toEqual(before);
    const plan = await holdfast(['--config', conf, '--lock-dir', locks, 'plan'], { faketime: '2026-01-02 09:00:00' });
    expect(plan.stdout).toMatch(/destroy holdfast_2026-01-02_03:00:00_hourly {2}\(older than the newest 1 hourly\)/);
    expect(plan.stdout).toMatch(/keep {4}holdfast_2026-01-02_00:00:00_daily {2}\(daily 1 of 2\)/);
  });

  it('snapshot_dir elsewhere on the filesystem; a plain directory fails alone, the others still run', async () => {
    const other = join(fs.mnt, 'other');
    const plain = join(fs.mnt, 'plain');
    await btrfs('subvolume', 'create', other);
    mkdirSync(plain);
    const conf = writeConfig(
      `[DEFAULT]\ntimezone = UTC\n\n[btrfs:${other}]\nhourly = 2\nsnap = yes\nsnapshot_dir = ${fs.mnt}/snaps of other\n\n[btrfs:${plain}]\nhourly = 2\nsnap = yes\n`,
    );
    const r = await snap(conf, '2026-03-01 10:00:00');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/ERROR list btrfs:.*\/plain: Not a Btrfs subvolume/);
    expect(r.stderr).toMatch(/took 1, destroyed 0 snapshots on 1 dataset .* 1 failed: .*\/plain/);
    expect(entries(join(fs.mnt, 'snaps of other'))).toEqual(['holdfast_2026-03-01_10:00:00_hourly']);
  });

  it('two subvolumes sharing one snapshot directory is refused before anything runs', async () => {
    const conf = writeConfig(
      `[DEFAULT]\nsnapshot_dir = ${fs.mnt}/shared\n\n[btrfs:${data}]\nhourly = 1\nsnap = yes\n\n[btrfs:${home}]\nhourly = 1\nsnap = yes\n`,
    );
    const r = await snap(conf, '2026-03-01 11:00:00');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /ERROR list btrfs:.*\/data: \[btrfs:.*\/data\] and \[btrfs:.*\/home\] all put snapshots in .*\/shared \(snapshot_dir\); give each subvolume its own directory/,
    );
    expect(entries(join(fs.mnt, 'shared'))).toEqual([]);
  });
});
