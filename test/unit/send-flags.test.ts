import { describe, expect, it } from 'vitest';
import { compressorSkipped, streamFlags } from '../../src/app/send/setup.js';
import { capabilitiesFromVersion } from '../../src/adapters/zfs/capabilities.js';
import { DEFAULT_DEST_OPTIONS } from '../../src/app/send/jobs.js';
import type { SendJob } from '../../src/app/send/jobs.js';
import { parseSendFlags } from '../../src/config/keys/send.js';
import { sendArgv } from '../../src/adapters/zfs/replication.js';

// The OpenZFS stream flags: what the version probe allows, what both ends share, what send_flags
// narrows, and when the default ssh compressor is skipped.
const openzfs21 = capabilitiesFromVersion(0, 'zfs-2.1.11-1\nzfs-kmod-2.1.11-1\n', '');
const openzfs06 = capabilitiesFromVersion(0, 'zfs-0.6.5-1\n', '');
const fuse = capabilitiesFromVersion(2, '', "unrecognized command 'version'\nusage: …");
const job = (o: Partial<SendJob['options']> = {}): SendJob => ({
  source: { kind: 'zfs', endpoint: { kind: 'local' }, dataset: 'tank/a' },
  dest: { kind: 'zfs', endpoint: { kind: 'local' }, dataset: 'pool/a' },
  options: { ...DEFAULT_DEST_OPTIONS, ...o },
});

describe('stream flags', () => {
  it('the probe: -L -e -c from OpenZFS 0.7, -L -e on 0.6.5, none on zfs-fuse', () => {
    expect(openzfs21.streamFlags).toEqual(['-L', '-e', '-c']);
    expect(openzfs06.streamFlags).toEqual(['-L', '-e']);
    expect(fuse.streamFlags ?? []).toEqual([]);
  });

  it('both ends must have a flag; send_flags narrows; a flag asked for that one end lacks is a note; raw takes none', () => {
    const notes: string[] = [];
    expect(streamFlags(job(), openzfs21, openzfs21, notes)).toEqual(['-L', '-e', '-c']);
    expect(streamFlags(job(), openzfs21, openzfs06, notes)).toEqual(['-L', '-e']);
    expect(streamFlags(job(), fuse, openzfs21, notes)).toEqual([]);
    expect(streamFlags(job({ sendFlags: ['-L', '-e'] }), openzfs21, openzfs21, notes)).toEqual(['-L', '-e']);
    expect(streamFlags(job({ sendFlags: [] }), openzfs21, openzfs21, notes)).toEqual([]);
    expect(notes).toEqual([]);
    expect(streamFlags(job({ sendFlags: ['-c'] }), openzfs21, openzfs06, notes)).toEqual([]);
    expect(notes).toEqual(['send_flags -c: not supported on both ends (openzfs → openzfs); sent without']);
    expect(streamFlags(job({ raw: true }), openzfs21, openzfs21, [])).toEqual([]);
  });

  it('the argv: flags after -w/-p order, before the snapshots', () => {
    expect(
      sendArgv({ kind: 'incremental', flag: '-I', from: 'a', to: 'b' }, 'tank/x', { raw: false, props: true, stream: ['-L', '-e', '-c'] }),
    ).toEqual(['zfs', 'send', '-L', '-e', '-c', '-p', '-I', 'tank/x@a', 'tank/x@b']);
    expect(sendArgv({ kind: 'full', snapshot: 'a', force: false }, 'tank/x', { raw: true, props: false, stream: ['-c'] })).toEqual([
      'zfs',
      'send',
      '-w',
      'tank/x@a',
    ]);
  });

  it('the default ssh compressor is skipped with -c for a dataset stored compressed only', () => {
    expect(compressorSkipped(['-L', '-e', '-c'], undefined, 'lz4')).toBe(true);
    expect(compressorSkipped(['-L', '-e', '-c'], undefined, 'on')).toBe(true);
    expect(compressorSkipped(['-L', '-e', '-c'], undefined, 'off')).toBe(false);
    expect(compressorSkipped(['-L', '-e'], undefined, 'lz4')).toBe(false);
    expect(compressorSkipped(['-L', '-e', '-c'], 'zstd', 'lz4')).toBe(false); // named: it runs
    expect(compressorSkipped(['-L', '-e', '-c'], undefined, undefined)).toBe(false);
  });

  it('send_flags in the file: auto, none, or flags; anything else is an error naming what to write', () => {
    expect(parseSendFlags('auto, none, -L -e,')).toEqual({ value: ['auto', [], ['-L', '-e'], 'auto'] });
    expect(parseSendFlags('-L -x')).toEqual({ error: '"-x" is not a send flag holdfast chooses; write auto, none, or some of -L -e -c' });
  });
});
