import { describe, expect, it } from 'vitest';
import {
  RsyncError,
  RsyncInterruptedError,
  SourceMissingError,
  SourceUnreachableError,
  TargetFullError,
  classifyRsync,
  RsyncNotFoundError,
} from '../../src/adapters/btrfs/rsync-errors.js';
import { parseStats, rsyncArgv, rsyncQuote, rsyncShell, sourceArg } from '../../src/adapters/btrfs/rsync.js';
import type { SyncRequest } from '../../src/app/backup/ports.js';
import { fixture } from '../btrfs/support/fixture.js';

const local: SyncRequest = {
  source: { kind: 'local', path: "/srv/it's $HOME; x" },
  target: '/b/.sync',
  excludes: ['/.cache', 'a b'],
  checksum: false,
  extra: [],
  sshOptions: [],
  dryRun: false,
};

describe('rsync argv', () => {
  it('copies the contents of the source into the working copy, paths as single arguments', () => {
    expect(rsyncArgv(local)).toEqual([
      'rsync',
      '-a',
      '--inplace',
      '--delete',
      '--delete-excluded',
      '--numeric-ids',
      '--stats',
      '--exclude=/.cache',
      '--exclude=a b',
      '--',
      "/srv/it's $HOME; x/",
      '/b/.sync/',
    ]);
  });

  it('remote: user@host:path/, ssh with port, key and options in one -e string rsync can split', () => {
    const req: SyncRequest = {
      ...local,
      source: { kind: 'remote', endpoint: { kind: 'ssh', host: '127.0.0.1', user: 'hfroot', port: 2222 }, path: '/data dir' },
      identity: "/keys/it's key",
      sshOptions: ['StrictHostKeyChecking=no'],
      checksum: true,
      dryRun: true,
      extra: ['--bwlimit=100'],
    };
    const argv = rsyncArgv(req);
    expect(argv.slice(-3)).toEqual(['--', 'hfroot@127.0.0.1:/data dir/', '/b/.sync/']);
    expect(argv).toContain('--checksum');
    expect(argv).toContain('--dry-run');
    expect(argv).toContain('--bwlimit=100');
    expect(argv[argv.indexOf('-e') + 1]).toBe(
      "ssh -o BatchMode=yes -o ConnectTimeout=10 -o ServerAliveInterval=30 -p 2222 -i '/keys/it''s key' -o IdentitiesOnly=yes -o StrictHostKeyChecking=no",
    );
    expect(rsyncShell({ source: local.source, sshOptions: [] })).not.toContain('-p');
  });

  it.each([
    [{ kind: 'local', path: '/' }, '/'],
    [{ kind: 'remote', endpoint: { kind: 'ssh', host: '::1' }, path: '/x' }, '[::1]:/x/'],
    [{ kind: 'remote', endpoint: { kind: 'ssh', host: 'h', user: 'u' }, path: 'rel' }, 'u@h:rel/'],
  ] as const)('source %j → %s', (s, arg) => expect(sourceArg(s)).toBe(arg));

  it("quotes for rsync's own splitter: doubled quotes, no backslashes", () => {
    expect(rsyncQuote('plain-1.2_x=y:z/@')).toBe('plain-1.2_x=y:z/@');
    expect(rsyncQuote("it's")).toBe("'it''s'");
    expect(rsyncQuote('a b')).toBe("'a b'");
    expect(rsyncQuote('')).toBe("''");
  });
});

describe('rsync exits → outcomes', () => {
  it('0 is complete, 24 is complete with a warning', () => {
    expect(classifyRsync(0, undefined, '')).toEqual({ kind: 'ok' });
    const v = classifyRsync(
      24,
      undefined,
      'file has vanished: "/src/tmp.x"\nrsync warning: some files vanished before they could be transferred (code 24)\n',
    );
    expect(v.kind).toBe('vanished');
  });

  it.each([
    ['rsync-source-missing', 23, SourceMissingError, /the source \/var\/tmp\/holdfast-capture\/nope does not exist/],
    ['rsync-remote-missing', 23, SourceMissingError, /the source \/nope does not exist/],
    ['rsync-target-full', 11, TargetFullError, /backups filesystem is full/],
    ['rsync-ssh-refused', 255, SourceUnreachableError, /Connection refused/],
    ['rsync-sigterm', 20, RsyncInterruptedError, /interrupted/],
  ])('%s', (name, exit, cls, message) => {
    const f = fixture(name);
    const o = classifyRsync(exit, undefined, f.stderr);
    if (o.kind !== 'failed') throw new Error(`expected a failure, got ${o.kind}`);
    expect(o.error).toBeInstanceOf(cls);
    expect(o.error.message).toMatch(message);
  });

  it("a signal is an interruption whatever the code; 127 is a missing rsync; others keep rsync's words", () => {
    const k = classifyRsync(137, 'SIGKILL', '');
    expect(k.kind === 'failed' && k.error).toBeInstanceOf(RsyncInterruptedError);
    const n = classifyRsync(127, undefined, 'rsync: command not found\n');
    expect(n.kind === 'failed' && n.error).toBeInstanceOf(RsyncNotFoundError);
    const g = classifyRsync(
      23,
      undefined,
      'rsync: [sender] send_files failed to open "/s/secret": Permission denied (13)\nrsync error: some files/attrs were not transferred (code 23)\n',
    );
    expect(g.kind === 'failed' && g.error.constructor).toBe(RsyncError);
    expect(g.kind === 'failed' && g.error.message).toMatch(/exit 23 .*Permission denied/);
  });

  it('reads --stats', () => {
    expect(parseStats(fixture('rsync-ok').stdout)).toEqual({ files: 2, bytes: 12 });
    expect(parseStats('Number of regular files transferred: 1,234\nTotal transferred file size: 5,678,901 bytes\n')).toEqual({
      files: 1234,
      bytes: 5678901,
    });
  });
});
