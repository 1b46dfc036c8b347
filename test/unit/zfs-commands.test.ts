import { describe, expect, it } from 'vitest';
import { BtrfsBackupStore } from '../../src/adapters/btrfs/backup-store.js';
import { BtrfsCli } from '../../src/adapters/btrfs/cli.js';
import * as btrfs from '../../src/adapters/btrfs/commands.js';
import { BtrfsReplica, pipelineOf } from '../../src/adapters/btrfs/replica.js';
import { printable } from '../../src/adapters/exec/printable.js';
import { CommandRunner } from '../../src/adapters/exec/runner.js';
import { shellQuote } from '../../src/adapters/exec/shell-quote.js';
import { SshConnections } from '../../src/adapters/exec/ssh.js';
import { zfsArgv, zfsSendEstimate } from '../../src/adapters/zfs/commands.js';
import { ZfsHosts } from '../../src/adapters/zfs/hosts.js';
import type { Logger } from '../../src/app/ports.js';
import { type Endpoint, LOCAL } from '../../src/domain/endpoint.js';
import type { ZfsCommand, ZfsSingle } from '../../src/domain/zfs-command.js';

// One function per zfs (and btrfs) command (issue 11): what a dry run prints is built from the
// argv the runner gets, by the same function. Every command holdfast prints or runs is here with
// its argv; a new kind of command without a line here does not compile.
const quiet: Logger = { event: () => {} };
const SSH: Endpoint = { kind: 'ssh', host: 'nas', user: 'root', port: 2222 };

const EVERY: { [K in ZfsCommand['op']]: [Extract<ZfsCommand, { op: K }>, string[]] } = {
  snapshot: [{ op: 'snapshot', snapshots: ['tank/a@s', 'tank/b@s'], recursive: false }, ['zfs', 'snapshot', 'tank/a@s', 'tank/b@s']],
  destroy: [{ op: 'destroy', dataset: 'tank/a', names: ['s1', 's2'], recursive: true }, ['zfs', 'destroy', '-r', 'tank/a@s1,s2']],
  'destroy-dataset': [{ op: 'destroy-dataset', dataset: 'bk/a', recursive: true }, ['zfs', 'destroy', '-r', 'bk/a']],
  hold: [
    { op: 'hold', tag: 'holdfast:bk/a', snapshots: ['tank/a@s1', 'tank/a b@s1'] },
    ['zfs', 'hold', 'holdfast:bk/a', 'tank/a@s1', 'tank/a b@s1'],
  ],
  release: [{ op: 'release', tag: 'T', snapshots: ['tank/a@s0'] }, ['zfs', 'release', 'T', 'tank/a@s0']],
  'create-parents': [{ op: 'create-parents', dataset: 'bk/x/y' }, ['zfs', 'create', '-p', 'bk/x/y']],
  rename: [{ op: 'rename', from: 'bk/a', to: 'bk/a-conflict' }, ['zfs', 'rename', 'bk/a', 'bk/a-conflict']],
  rollback: [{ op: 'rollback', snapshot: 'bk/a@s1' }, ['zfs', 'rollback', 'bk/a@s1']],
  mount: [{ op: 'mount', dataset: 'bk/a' }, ['zfs', 'mount', 'bk/a']],
  unmount: [{ op: 'unmount', dataset: 'bk/a' }, ['zfs', 'unmount', 'bk/a']],
  'abort-receive': [{ op: 'abort-receive', dataset: 'bk/a' }, ['zfs', 'receive', '-A', 'bk/a']],
  bookmark: [
    { op: 'bookmark', snapshot: 'tank/a@s2', bookmark: 'tank/a#holdfast_bk_a_1a2b3c4d' },
    ['zfs', 'bookmark', 'tank/a@s2', 'tank/a#holdfast_bk_a_1a2b3c4d'],
  ],
  'destroy-bookmark': [{ op: 'destroy-bookmark', bookmark: 'tank/a#holdfast_x' }, ['zfs', 'destroy', 'tank/a#holdfast_x']],
  send: [
    { op: 'send', snapshot: 'tank/a@s2', from: { snapshot: 'tank/a@s1', intermediates: true }, raw: true, props: true },
    ['zfs', 'send', '-w', '-p', '-I', 'tank/a@s1', 'tank/a@s2'],
  ],
  'send-resume': [{ op: 'send-resume', token: '1-abc' }, ['zfs', 'send', '-t', '1-abc']],
  receive: [
    { op: 'receive', dataset: 'bk/a', verbose: true, mount: false, resumable: true, force: true },
    ['zfs', 'receive', '-v', '-u', '-s', '-F', 'bk/a'],
  ],
};

describe('zfs commands as data', () => {
  it.each(Object.entries(EVERY))('%s: its argv', (_, [c, argv]) => {
    expect(zfsArgv(c)).toEqual(argv);
  });

  it('the other shapes of send, receive and destroy', () => {
    expect(zfsArgv({ op: 'send', snapshot: 'tank/a@s1', raw: false, props: false })).toEqual(['zfs', 'send', 'tank/a@s1']);
    expect(
      zfsArgv({ op: 'send', snapshot: 'tank/a@s2', from: { snapshot: 'tank/a@s1', intermediates: false }, raw: false, props: false }),
    ).toEqual(['zfs', 'send', '-i', 'tank/a@s1', 'tank/a@s2']);
    expect(zfsSendEstimate({ op: 'send', snapshot: 'tank/a@s1', raw: true, props: false })).toEqual([
      'zfs',
      'send',
      '-nvP',
      '-w',
      'tank/a@s1',
    ]);
    expect(zfsSendEstimate({ op: 'send-resume', token: 'T' })).toEqual(['zfs', 'send', '-nvP', '-t', 'T']);
    expect(zfsArgv({ op: 'receive', dataset: 'bk/a', verbose: false, mount: true, resumable: false, force: false })).toEqual([
      'zfs',
      'receive',
      'bk/a',
    ]);
    expect(zfsArgv({ op: 'destroy', dataset: 'tank/a', names: ['s1'], recursive: false })).toEqual(['zfs', 'destroy', 'tank/a@s1']);
    expect(zfsArgv({ op: 'destroy-dataset', dataset: 'bk/a', recursive: false })).toEqual(['zfs', 'destroy', 'bk/a']);
  });
});

// The real runner in a dry run refuses every command that changes something, naming the command
// line it was given: so for each command, that line is compared with what print() shows.
describe('printed as it runs', () => {
  const ssh = new SshConnections({ identity: () => '/root/.ssh/id_backup', options: ['Compression=no'] });
  const runner = new CommandRunner(ssh, quiet, true);
  const hosts = new ZfsHosts(runner, (e, argv) => printable(e, argv, ssh));
  const singles = Object.values(EVERY)
    .map(([c]) => c)
    .filter((c): c is ZfsSingle => c.op !== 'send' && c.op !== 'send-resume' && c.op !== 'receive');

  it.each(singles.map((c) => [c.op, c] as const))('%s, on this host', async (_, c) => {
    const zfs = hosts.replication(LOCAL);
    const run = c.op === 'hold' || c.op === 'release' ? zfs.batch(c) : zfs.run(c);
    await expect(run).rejects.toThrow(`dry run tried to run ${zfs.print(c)}`);
  });

  it.each(singles.map((c) => [c.op, c] as const))('%s, over ssh: the remote command is the one printed', async (_, c) => {
    const zfs = hosts.replication(SSH);
    const sent = runner.resolve(zfsArgv(c), SSH).at(-1)!; // the one shell line ssh carries
    expect(zfs.print(c)).toBe(`ssh -i /root/.ssh/id_backup -o Compression=no -p 2222 root@nas ${shellQuote(sent)}`);
    await expect(zfs.run(c)).rejects.toThrow(`dry run tried to run ${sent}`);
  });

  it('one instance per host per run: one capability probe', () => {
    expect(hosts.host(SSH)).toBe(hosts.host({ ...SSH }));
    expect(hosts.snapshots('zfs', LOCAL)).toBe(hosts.host(LOCAL));
    expect(hosts.replication(LOCAL)).toBe(hosts.replication(LOCAL));
    expect(() => hosts.snapshots('btrfs', LOCAL)).toThrow(/no btrfs hosts/);
  });
});

describe('btrfs commands', () => {
  it('their argv', () => {
    expect(btrfs.subvolumeSnapshot('/data', '/data/.snap/s1', true)).toEqual([
      'btrfs',
      'subvolume',
      'snapshot',
      '-r',
      '/data',
      '/data/.snap/s1',
    ]);
    expect(btrfs.subvolumeDelete(['/b/x', '/b/y'])).toEqual(['btrfs', 'subvolume', 'delete', '/b/x', '/b/y']);
    expect(btrfs.subvolumeCreate('/b/work')).toEqual(['btrfs', 'subvolume', 'create', '/b/work']);
    expect(btrfs.subvolumeList('/b', true)).toEqual(['btrfs', 'subvolume', 'list', '-o', '-c', '-u', '-q', '-R', '-g', '-r', '/b']);
    expect(btrfs.mkdirp('/b')).toEqual(['mkdir', '-p', '--', '/b']);
    const t = { source: { endpoint: LOCAL, path: '/s/.snap/2' }, parent: '/s/.snap/1', dest: { endpoint: LOCAL, dir: '/r' } };
    expect(pipelineOf(t).stages.map((s) => s.argv)).toEqual([btrfs.btrfsSend('/s/.snap/2', '/s/.snap/1'), btrfs.btrfsReceive('/r')]);
    expect(btrfs.btrfsSend('/s/.snap/2', '/s/.snap/1')).toEqual(['btrfs', 'send', '-q', '-p', '/s/.snap/1', '/s/.snap/2']);
  });

  // The argv the ports expose for plans is the one their mutations run.
  it.each([
    ['create', (s: BtrfsBackupStore) => s.createSubvolume('/b/w'), (s: BtrfsBackupStore) => s.argv.create('/b/w')],
    ['snapshot', (s: BtrfsBackupStore) => s.snapshot('/b/w', '/b/x', true), (s: BtrfsBackupStore) => s.argv.snapshot('/b/w', '/b/x', true)],
    ['delete', (s: BtrfsBackupStore) => s.delete(['/b/x']), (s: BtrfsBackupStore) => s.argv.delete(['/b/x'])],
    ['mkdirp', (s: BtrfsBackupStore) => s.mkdirp('/b'), (s: BtrfsBackupStore) => s.argv.mkdirp('/b')],
  ] as const)('backups: %s', async (_, run, argv) => {
    const store = new BtrfsBackupStore(new BtrfsCli(LOCAL, new CommandRunner(new SshConnections(), quiet, true)));
    // snapshot looks first (stat): the look runs for real and finds nothing at /b/x.
    await expect(run(store)).rejects.toThrow(`dry run tried to run ${printable(LOCAL, argv(store))}`);
  });

  it('btrfs-send: the mkdir and the delete it prints', async () => {
    const replica = new BtrfsReplica(new CommandRunner(new SshConnections(), quiet, true), new SshConnections());
    await expect(replica.mkdirp(LOCAL, '/r')).rejects.toThrow(`dry run tried to run ${printable(LOCAL, replica.argv.mkdirp('/r'))}`);
    await expect(replica.delete(LOCAL, ['/r/x'])).rejects.toThrow(
      `dry run tried to run ${printable(LOCAL, replica.argv.delete(['/r/x']))}`,
    );
  });
});
