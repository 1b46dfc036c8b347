import { describe, expect, it } from 'vitest';
import {
  BaseMismatchError,
  DestModifiedError,
  HoldTagExistsError,
  NoSuchHoldTagError,
  OutOfSpaceError,
  StaleResumeTokenError,
  StreamCorruptError,
} from '../../src/adapters/zfs/errors.js';
import {
  classifyReplicationError,
  estimateArgv,
  parseEstimate,
  parseReceived,
  parseToken,
  receiveArgv,
  sendArgv,
} from '../../src/adapters/zfs/replication.js';
import { FLAVOURS, fixture } from '../support/fixtures.js';

// The replication adapter against real output captured from zfs-fuse and OpenZFS 2.1.11
// (test/fixtures). The modern paths zfs-fuse lacks (send -nvP, resume tokens) are tested here
// against OpenZFS's own words, and end to end in the VM lane (test/vm/send-*.test.ts).
const classify = (flavour: (typeof FLAVOURS)[number], name: string) => {
  const f = fixture(flavour, name);
  return classifyReplicationError(f.stderr, ['zfs'], f.exit);
};

describe('argv', () => {
  it('builds send and receive', () => {
    expect(sendArgv({ kind: 'full', snapshot: 's1', force: false }, 'tank/a b', { raw: true, props: false })).toEqual([
      'zfs',
      'send',
      '-w',
      'tank/a b@s1',
    ]);
    expect(sendArgv({ kind: 'incremental', from: 's1', to: 's3', flag: '-I' }, 'tank/a', { raw: false, props: true })).toEqual([
      'zfs',
      'send',
      '-p',
      '-I',
      'tank/a@s1',
      'tank/a@s3',
    ]);
    expect(sendArgv({ kind: 'resume', token: 'T', to: 's2' }, 'tank/a', { raw: true, props: true })).toEqual(['zfs', 'send', '-t', 'T']);
    expect(receiveArgv('bk/a', { mount: false, resumable: true, force: false })).toEqual(['zfs', 'receive', '-v', '-u', '-s', 'bk/a']);
    expect(receiveArgv('bk/a', { mount: true, resumable: false, force: true })).toEqual(['zfs', 'receive', '-v', '-F', 'bk/a']);
    expect(estimateArgv({ kind: 'full', snapshot: 's1', force: false }, 'tank/a', { raw: false, props: false })).toEqual([
      'zfs',
      'send',
      '-nvP',
      'tank/a@s1',
    ]);
  });
});

describe('sizes', () => {
  it('reads the estimate of zfs send -nvP (OpenZFS)', () => {
    expect(parseEstimate(fixture('openzfs', 'send-nvP-full').stdout)).toBe(1063984);
    expect(parseEstimate(fixture('openzfs', 'send-nvP-I').stdout)).toBe(2119488);
    expect(parseEstimate(fixture('openzfs', 'send-nvP-token').stdout)).toBe(4342440);
  });

  it.each(FLAVOURS)('reads what zfs receive -v received (%s)', (flavour) => {
    const bytes = parseReceived(fixture(flavour, 'recv-full-v').stdout);
    expect(bytes).toBeGreaterThan(1_000_000);
    expect(bytes).toBeLessThan(1_200_000);
  });

  it('sums the snapshots of a -I stream', () => {
    expect(parseReceived('received 1.00MB stream in 1 seconds (1.00MB/sec)\nreceived 512K stream in 1 seconds (512K/sec)\n')).toBe(
      1024 * 1024 + 512 * 1024,
    );
    expect(parseReceived('received 0B stream in 1 seconds (0B/sec)\n')).toBe(0);
    expect(parseReceived('nothing\n')).toBeUndefined();
  });
});

describe('resume tokens (OpenZFS)', () => {
  it('reads where a token ends', () => {
    const out = fixture('openzfs', 'send-nvP-token').stdout;
    const hex = /toguid = (0x[0-9a-f]+)/.exec(out)![1]!;
    expect(parseToken(out)).toEqual({ toname: 'tank/hf/big@r1', toguid: BigInt(hex).toString() });
    expect(parseToken(out).toguid).toMatch(/^\d+$/);
  });

  it('reads a stale token, and classifies it', () => {
    const f = fixture('openzfs', 'send-nvP-t-source-destroyed');
    expect(parseToken(f.stdout).toname).toBe('tank/hf/big@r2');
    expect(classify('openzfs', 'send-nvP-t-source-destroyed')).toBeInstanceOf(StaleResumeTokenError);
    expect(classify('openzfs', 'send-t-invalid-token')).toBeInstanceOf(StaleResumeTokenError);
  });
});

describe.each(FLAVOURS)('typed receive errors (%s)', (flavour) => {
  it.each([
    ['recv-incr-dest-modified', DestModifiedError],
    ['recv-out-of-space', OutOfSpaceError],
    ['recv-corrupt-payload', StreamCorruptError],
    ['recv-truncated-no-s', StreamCorruptError],
    ['recv-incr-base-mismatch', BaseMismatchError],
    ['hold-existing-tag', HoldTagExistsError],
    ['release-missing-tag', NoSuchHoldTagError],
  ] as const)('%s', (name, cls) => {
    const e = classify(flavour, name);
    expect(e).toBeInstanceOf(cls);
    expect(e.message).not.toMatch(/^warning: cannot send/);
  });

  it('names the snapshot in hold/release errors (for batches)', () => {
    expect(HoldTagExistsError.pattern.exec(fixture(flavour, 'hold-existing-tag').stderr)?.[1]).toMatch(/\/hf\/a@s1$/);
    expect(NoSuchHoldTagError.pattern.exec(fixture(flavour, 'release-missing-tag').stderr)?.[1]).toMatch(/\/hf\/a@s1$/);
  });
});

describe('OpenZFS reports a destination that is ahead as "modified"', () => {
  it('so a rollback (never -r) decides', () => {
    expect(classify('openzfs', 'recv-incr-target-ahead')).toBeInstanceOf(DestModifiedError);
    expect(classify('zfs-fuse', 'recv-incr-target-ahead')).toBeInstanceOf(BaseMismatchError);
  });
});
