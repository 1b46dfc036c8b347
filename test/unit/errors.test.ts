import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BackupConfigError } from '../../src/app/backup/job.js';
import { BadLocationError } from '../../src/app/send/jobs.js';
import { StoreLocationError } from '../../src/app/store/config.js';
import { CleanupArgumentError } from '../../src/app/views/cleanup.js';
import { TreeArgumentError } from '../../src/app/views/targets.js';
import { BtrfsError, classifyBtrfsError } from '../../src/adapters/btrfs/errors.js';
import { RsyncError } from '../../src/adapters/btrfs/rsync-errors.js';
import { CryptoError } from '../../src/adapters/crypto/errors.js';
import { LockHeldError } from '../../src/adapters/lock/errors.js';
import { StoreError } from '../../src/adapters/store/errors.js';
import { ZfsError, classifyZfsError } from '../../src/adapters/zfs/errors.js';
import { ConfirmationRefusedError } from '../../src/cli/confirm.js';
import { ConfigInvalidError, EXIT, InterruptedError, RunLockedError, UsageError, exitCodeOf } from '../../src/cli/exit-codes.js';
import { ConfigFileError } from '../../src/config/errors.js';
import { CommandError, HoldfastError } from '../../src/domain/errors.js';

// One error base: every error holdfast throws says how a run ending with it exits, and the
// failed command's argv, stderr and exit status where there was one.
describe('the error base', () => {
  it.each([
    ['UsageError', new UsageError('x'), EXIT.usage],
    ['ConfigFileError', new ConfigFileError('/etc/h.conf', 'no such file'), EXIT.usage],
    ['ConfigInvalidError', new ConfigInvalidError('x'), EXIT.usage],
    ['ConfirmationRefusedError', new ConfirmationRefusedError('x'), EXIT.usage],
    ['BadLocationError', new BadLocationError('x'), EXIT.usage],
    ['CleanupArgumentError', new CleanupArgumentError('x'), EXIT.usage],
    ['TreeArgumentError', new TreeArgumentError('x'), EXIT.usage],
    ['BackupConfigError', new BackupConfigError('x'), EXIT.usage],
    ['StoreLocationError', new StoreLocationError('x'), EXIT.usage],
    ['RunLockedError', new RunLockedError('x'), EXIT.locked],
    ['LockHeldError', new LockHeldError('/run/lock/snap.lock', 'pid 7'), EXIT.locked],
    ['InterruptedError', new InterruptedError('interrupted by SIGTERM during snap', 143), 143],
    ['ZfsError', new ZfsError('cannot open', 'cannot open', ['zfs', 'list'], 1), EXIT.internal],
    ['StoreError', new StoreError('x'), EXIT.internal],
    ['CryptoError', new CryptoError('x'), EXIT.internal],
    ['a plain Error', new Error('x'), EXIT.internal],
    ['a string', 'x', EXIT.internal],
  ])('%s exits %d', (_name, e, code) => {
    expect(exitCodeOf(e)).toBe(code);
    if (e instanceof Error && _name !== 'a plain Error') expect(e).toBeInstanceOf(HoldfastError);
  });

  it('zfs and btrfs failures carry the command, its stderr and exit status; ssh the fix', () => {
    const z = classifyZfsError("cannot open 'tank/x': dataset does not exist\n", ['zfs', 'list', 'tank/x'], 1);
    expect(z).toBeInstanceOf(CommandError);
    expect([z.name, z.message, z.argv, z.stderr, z.exitCode]).toEqual([
      'DatasetNotFoundError',
      "cannot open 'tank/x': dataset does not exist",
      ['zfs', 'list', 'tank/x'],
      "cannot open 'tank/x': dataset does not exist\n",
      1,
    ]);
    const ssh = classifyZfsError('Host key verification failed.\n', ['zfs', 'list'], 255, 'ssh-keyscan nas >> ~/.ssh/known_hosts');
    expect([ssh.name, ssh.fix]).toEqual(['SshError', 'ssh-keyscan nas >> ~/.ssh/known_hosts']);
    const b = classifyBtrfsError('ERROR: Not a Btrfs subvolume: /x\n', ['btrfs', 'subvolume', 'show', '/x'], 1, '/x');
    expect(b).toBeInstanceOf(BtrfsError);
    expect(b).toBeInstanceOf(CommandError);
    expect([b.name, b.argv, b.exitCode]).toEqual(['NotSubvolumeError', ['btrfs', 'subvolume', 'show', '/x'], 1]);
    const r = new RsyncError('rsync failed', 23, 'rsync: oops');
    expect([r.exitCode, r.stderr, r.exit]).toEqual([23, 'rsync: oops', 'internal']);
  });

  it('no error class in src/ bypasses the base', () => {
    const root = new URL('../../src/', import.meta.url).pathname;
    const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    const bypass = files.filter((f) => /class \w+ extends Error\b/.test(readFileSync(join(root, f), 'utf8')));
    expect(bypass).toEqual(['domain/errors.ts']);
  });
});
