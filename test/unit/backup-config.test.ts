import { describe, expect, it } from 'vitest';
import { BackupConfigError, resolveJobs } from '../../src/app/backup/job.js';
import { btrfsLayout } from '../../src/app/btrfs/layout.js';
import { SnapshotDirClashError } from '../../src/app/btrfs/ports.js';
import { parsePolicyText } from '../../src/config/parse.js';
import { formatBackupName, parseBackupName } from '../../src/domain/backup/name.js';
import { parsePeriod, periodStart } from '../../src/domain/backup/duration.js';
import { parseBackupSource } from '../../src/domain/backup/source.js';

describe('periods (luxon, calendar units)', () => {
  it.each([
    ['1 week', { weeks: 1 }],
    ["'1 week'", { weeks: 1 }],
    ['"2 days"', { days: 2 }],
    ['1 year 6 months', { years: 1, months: 6 }],
    ['1 year, 2 weeks and 3 days', { years: 1, weeks: 2, days: 3 }],
    ['36h', { hours: 36 }],
    ['90 min', { minutes: 90 }],
    ['P1M', { months: 1 }],
    ['0', { seconds: 0 }],
  ])('%s', (text, units) => {
    const r = parsePeriod(text);
    expect('value' in r && r.value.units).toEqual(units);
  });

  it.each(['', 'a week', '1 fortnight', '5m', '1 week ago', 'P1X', '-1 day'])('rejects %j with a hint', (text) => {
    const r = parsePeriod(text);
    expect('error' in r && r.error).toMatch(/e\.g\. "1 day"/);
  });

  it('"1 month" before 31 March is 28 February; a day across DST is 23 hours in Berlin', () => {
    const m = parsePeriod('1 month');
    const d = parsePeriod('1 day');
    if (!('value' in m) || !('value' in d)) throw new Error('parse');
    expect(new Date(periodStart(Date.UTC(2026, 2, 31, 12), m.value, 'UTC')).toISOString()).toBe('2026-02-28T12:00:00.000Z');
    expect(Date.UTC(2026, 2, 29, 12) - periodStart(Date.UTC(2026, 2, 29, 12), d.value, 'Europe/Berlin')).toBe(23 * 3_600_000);
  });
});

describe('backup names', () => {
  it('ISO 8601 with the offset of the zone, and back', () => {
    const t = Date.UTC(2026, 10, 22, 20, 46, 37);
    expect(formatBackupName(t, 'Europe/Berlin')).toBe('2026-11-22T21:46:37+01:00');
    expect(formatBackupName(t, 'UTC')).toBe('2026-11-22T20:46:37+00:00');
    expect(parseBackupName('2026-11-22T21:46:37+01:00')).toBe(t);
    expect(parseBackupName('2026-11-22T20:46:37Z')).toBe(t);
    expect(parseBackupName('2026-11-22T21:46:37.250000+01:00')).toBe(t + 250); // Python's isoformat with microseconds
  });
  it.each(['.sync', '2026-11-22', '2026-11-22T21:46:37', '2026-13-22T21:46:37+01:00', 'holdfast_2026-01-01_00:00:00_daily'])(
    '%s is not a backup',
    (n) => {
      expect(parseBackupName(n)).toBeUndefined();
    },
  );
});

describe('backup sources', () => {
  it.each([
    ['/home/', { kind: 'local', path: '/home' }],
    ["/srv/it's $HOME; x", { kind: 'local', path: "/srv/it's $HOME; x" }],
    ['root@host:/data', { kind: 'remote', endpoint: { kind: 'ssh', host: 'host', user: 'root' }, path: '/data' }],
    ['host:rel dir', { kind: 'remote', endpoint: { kind: 'ssh', host: 'host' }, path: 'rel dir' }],
    [
      'ssh:2222:hfroot@127.0.0.1:/a b',
      { kind: 'remote', endpoint: { kind: 'ssh', host: '127.0.0.1', user: 'hfroot', port: 2222 }, path: '/a b' },
    ],
    ['ssh::u@[::1]:/x', { kind: 'remote', endpoint: { kind: 'ssh', host: '::1', user: 'u' }, path: '/x' }],
  ])('%s', (text, value) => expect(parseBackupSource(text)).toEqual({ value }));

  it.each(['', 'relative/path', 'rsync://host/mod', 'host::module', 'ssh:99999:h:/x', '-oProxyCommand=x:/p', 'u;rm@h:/x', 'host:'])(
    'rejects %j',
    (text) => {
      expect(parseBackupSource(text)).toHaveProperty('error');
    },
  );
});

const conf = (text: string) => parsePolicyText(text, '/etc/holdfast/holdfast.conf');

describe('[backup:NAME] sections', () => {
  it("resolve with snapshotbackup's defaults and [DEFAULT] values", () => {
    const f = conf(
      "[DEFAULT]\nretain_daily = '2 months'\n\n[backup:home]\nsource = /home\nbackups = /mnt/b/home\nignore = /.cache, *.tmp\nautoprune = 1\nautodecay = True\ndecay = 1 year\nrsync_options = --one-file-system -H\n",
    );
    expect(f.issues).toEqual([]);
    const [job] = resolveJobs(f, ['home']);
    expect(job).toMatchObject({
      name: 'home',
      backups: '/mnt/b/home',
      workdir: '/mnt/b/home/.sync',
      excludes: ['/.cache', '*.tmp'],
      autoprune: true,
      autodecay: true,
      rsyncOptions: ['--one-file-system', '-H'],
      retention: { retainAll: { text: '1 day' }, retainDaily: { text: '2 months' }, decay: { text: '1 year' }, zone: 'local' },
    });
  });

  it('invalid values are config errors with file:line', () => {
    const f = conf(
      '[backup:x]\nsource = relative\nbackups = not/abs\nretain_all = 1 fortnight\nautoprune = maybe\nrsync_options = --remove-source-files\n',
    );
    expect(f.issues.filter((i) => i.severity === 'error').map((i) => [i.line, i.key])).toEqual([
      [2, 'source'],
      [3, 'backups'],
      [4, 'retain_all'],
      [5, 'autoprune'],
      [6, 'rsync_options'],
    ]);
  });

  it('unknown names, missing keys and a backups directory inside the source are usage errors, all at once', () => {
    const f = conf('[backup:a]\nsource = /srv\n\n[backup:b]\nsource = /srv\nbackups = /srv/backups\n');
    expect(() => resolveJobs(f, ['a', 'b', 'c'])).toThrow(BackupConfigError);
    try {
      resolveJobs(f, ['a', 'b', 'c']);
    } catch (e) {
      expect((e as Error).message.split('\n')).toEqual([
        expect.stringMatching(/:1: \[backup:a\]: backups is not set/),
        expect.stringMatching(/:4: \[backup:b\]: backups \(\/srv\/backups\) lies inside the source/),
        expect.stringMatching(/no \[backup:c\] section .*there are: a, b/),
      ]);
    }
  });
});

describe('btrfs snapshot directories', () => {
  it('default .snapshots inside the subvolume; relative and absolute snapshot_dir; inherited along the path tree', () => {
    const f = conf(
      '[btrfs:/mnt/data]\nsnapshot_dir = .snap\n\n[btrfs:/mnt/data/home]\n\n[btrfs:/srv]\n\n[btrfs:/var]\nsnapshot_dir = /mnt/data/var-snaps\n',
    );
    const l = btrfsLayout(f);
    expect(l.snapshotDirOf('/mnt/data')).toBe('/mnt/data/.snap');
    expect(l.snapshotDirOf('/mnt/data/home')).toBe('/mnt/data/home/.snap');
    expect(l.snapshotDirOf('/srv')).toBe('/srv/.snapshots');
    expect(l.snapshotDirOf('/var')).toBe('/mnt/data/var-snaps');
  });

  it('one directory for two subvolumes is refused', () => {
    const l = btrfsLayout(conf('[DEFAULT]\nsnapshot_dir = /mnt/snaps\n\n[btrfs:/a]\n\n[btrfs:/b]\n'));
    expect(() => l.snapshotDirOf('/a')).toThrow(SnapshotDirClashError);
  });
});
