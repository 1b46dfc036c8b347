import { describe, expect, it } from 'vitest';
import {
  BtrfsError,
  CrossDeviceError,
  NotBtrfsError,
  NotEmptyError,
  NotSubvolumeError,
  PathMissingError,
  ReadOnlyError,
  TargetExistsError,
  classifyBtrfsError,
} from '../../src/adapters/btrfs/errors.js';
import { type Mount, locate, parseFindmnt } from '../../src/adapters/btrfs/mounts.js';
import { inCreationOrder, parseSubvolumeList, rowsDirectlyIn } from '../../src/adapters/btrfs/parse-list.js';
import { fixture } from '../btrfs/support/fixture.js';

// btrfs-progs 6.2 output captured by test/btrfs/fixtures/capture.sh.
describe('btrfs subvolume list parsing', () => {
  it('reads every column, the path with spaces and colons included', () => {
    const rows = parseSubvolumeList(fixture('list-top-level-dir').stdout);
    expect(rows.map((r) => r.path)).toEqual(['sv', 'with space/2026-11-22T21:46:37+01:00', 'with space/.sync']);
    expect(rows[1]).toMatchObject({ id: 260, cgen: 9, topLevel: 5, receivedUuid: undefined });
    expect(rows[1]!.parentUuid).toBe(rows.find((r) => r.path === 'sv')!.uuid);
  });

  it('keeps only the subvolumes directly in the directory', () => {
    const rows = parseSubvolumeList(fixture('list-all-children').stdout);
    expect([...rowsDirectlyIn(rows, 'sv/.snapshots').keys()]).toEqual([
      'holdfast_2026-01-01_00:00:00_daily',
      'holdfast_2026-01-01_01:00:00_hourly',
    ]);
    expect([...rowsDirectlyIn(rows, 'sv').keys()]).toEqual(['nested']);
    const top = parseSubvolumeList(fixture('list-top-level-dir').stdout);
    expect([...rowsDirectlyIn(top, 'with space').keys()].sort()).toEqual(['.sync', '2026-11-22T21:46:37+01:00']);
    expect([...rowsDirectlyIn(top, '').keys()]).toEqual(['sv']);
  });

  it('orders by creation generation, then id within one generation', () => {
    const rows = [
      { cgen: 9, id: 30 },
      { cgen: 7, id: 50 },
      { cgen: 9, id: 12 },
    ];
    const ordered = inCreationOrder(rows);
    expect(ordered.map((o) => o.row.id)).toEqual([50, 12, 30]);
    expect(ordered.map((o) => o.order)).toEqual([7_000_000, 9_000_000, 9_000_001]);
  });
});

describe('mount table: where a directory lies in its filesystem', () => {
  const mounts: Mount[] = [
    { target: '/', fsroot: '/@', fstype: 'btrfs' },
    { target: '/home', fsroot: '/@home', fstype: 'btrfs' },
    { target: '/mnt/pool', fsroot: '/', fstype: 'btrfs' },
    { target: '/mnt/pool2', fsroot: '/', fstype: 'ext4' },
    { target: '/mnt/pool2', fsroot: '/sub', fstype: 'btrfs' }, // mounted over the first
  ];
  it.each([
    ['/home/.snapshots', '@home/.snapshots', 'btrfs'],
    ['/home', '@home', 'btrfs'],
    ['/var/backups', '@/var/backups', 'btrfs'],
    ['/mnt/pool', '', 'btrfs'],
    ['/mnt/pool/a b/c', 'a b/c', 'btrfs'],
    ['/mnt/pool2/x', 'sub/x', 'btrfs'],
    ['/mnt/poolx', '@/mnt/poolx', 'btrfs'],
  ])('%s → %s', (path, fsPath, fstype) => {
    expect(locate(path, mounts)).toMatchObject({ fsPath, mount: { fstype } });
  });

  it('reads findmnt -J', () => {
    const m = parseFindmnt(fixture('findmnt').stdout);
    expect(m.find((x) => x.target === '/var/tmp/holdfast-capture/mnt')).toEqual({
      target: '/var/tmp/holdfast-capture/mnt',
      fsroot: '/',
      fstype: 'btrfs',
    });
    expect(locate('/var/tmp/holdfast-capture/mnt/sv/.snapshots', m)?.fsPath).toBe('sv/.snapshots');
  });
});

describe('btrfs stderr → typed errors', () => {
  it.each([
    ['show-missing', PathMissingError],
    ['show-not-subvolume', NotSubvolumeError],
    ['list-missing-dir', PathMissingError],
    ['list-not-btrfs', NotBtrfsError],
    ['snapshot-not-subvolume', NotSubvolumeError],
    ['snapshot-source-missing', PathMissingError],
    ['snapshot-into-readonly', ReadOnlyError],
    ['snapshot-other-fs', CrossDeviceError],
    ['snapshot-not-btrfs', NotBtrfsError],
    ['snapshot-parent-missing', PathMissingError],
    ['create-exists', TargetExistsError],
    ['create-not-btrfs', NotBtrfsError],
    ['delete-missing', PathMissingError],
    ['delete-not-subvolume', NotSubvolumeError],
    ['delete-not-empty', NotEmptyError],
  ])('%s', (name, cls) => {
    const f = fixture(name);
    expect(f.exit).not.toBe(0);
    const e = classifyBtrfsError(f.stderr, f.command.split(' '), f.exit, '/some/path');
    expect(e).toBeInstanceOf(cls);
    expect(e).toBeInstanceOf(BtrfsError);
    expect(e.message.startsWith('/some/path: ')).toBe(true);
    expect(e.message).not.toContain('ERROR:');
  });

  it("an unknown message stays a plain BtrfsError with btrfs-progs' words", () => {
    const e = classifyBtrfsError('ERROR: something new happened\n', ['btrfs'], 1, 'x');
    expect(e.constructor).toBe(BtrfsError);
    expect(e.message).toBe('x: something new happened');
  });
});
