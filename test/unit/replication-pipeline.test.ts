import { describe, expect, it } from 'vitest';
import { printPipeline } from '../../src/adapters/pipeline/pipeline.js';
import { COMPRESSORS } from '../../src/adapters/exec/tools.js';
import { estimateArgv, parseReceived, receiveArgv, sendArgv } from '../../src/adapters/zfs/replication.js';
import { type TransferShape, mbufferArgv, transferPipeline } from '../../src/app/send/pipeline.js';
import type { Endpoint } from '../../src/domain/endpoint.js';

const L: Endpoint = { kind: 'local' };
const A: Endpoint = { kind: 'ssh', host: 'a', user: 'root' };
const B: Endpoint = { kind: 'ssh', host: 'b', user: 'root', port: 2222 };
const argv = { send: sendArgv, receive: receiveArgv, estimate: estimateArgv, received: parseReceived };
const lzop = COMPRESSORS.get('lzop')!;

function line(src: Endpoint, dst: Endpoint, o: Partial<TransferShape> = {}): string {
  const t: TransferShape = {
    step: { kind: 'incremental', from: 's1', to: 's2', flag: '-I' },
    source: { endpoint: src, dataset: 'tank/a' },
    dest: { endpoint: dst, dataset: 'bk/a' },
    send: { raw: false, props: false },
    receive: { mount: false, resumable: false, force: false },
    mbuffer: { source: true, dest: true },
    pv: false,
    ...o,
  };
  return printPipeline(transferPipeline(t, argv).pipeline);
}

// The shape of every transfer: zfs send | [pv] | [compress] | [mbuffer] | ssh '[mbuffer] | [decompress] | zfs receive'.
describe('transfer pipelines', () => {
  it.each<[string, Endpoint, Endpoint, Partial<TransferShape>, string]>([
    ['local: the raw pipe', L, L, { compressor: lzop }, 'zfs send -I tank/a@s1 tank/a@s2 | zfs receive -v -u bk/a'],
    [
      'push',
      L,
      A,
      { compressor: lzop },
      "zfs send -I tank/a@s1 tank/a@s2 | lzop | mbuffer -q -s 128K -m 256M | ssh root@a 'mbuffer -q -s 128K -m 256M | lzop -dfc | zfs receive -v -u bk/a'",
    ],
    [
      'pull',
      A,
      L,
      { compressor: lzop },
      "ssh root@a 'zfs send -I tank/a@s1 tank/a@s2 | lzop | mbuffer -q -s 128K -m 256M' | mbuffer -q -s 128K -m 256M | lzop -dfc | zfs receive -v -u bk/a",
    ],
    [
      'remote to remote, relayed',
      A,
      B,
      { compressor: lzop },
      "ssh root@a 'zfs send -I tank/a@s1 tank/a@s2 | lzop | mbuffer -q -s 128K -m 256M' | ssh -p 2222 root@b 'mbuffer -q -s 128K -m 256M | lzop -dfc | zfs receive -v -u bk/a'",
    ],
    ['both ends on one remote host: one ssh, no relay', A, A, {}, "ssh root@a 'zfs send -I tank/a@s1 tank/a@s2 | zfs receive -v -u bk/a'"],
    [
      'no mbuffer on the far side',
      L,
      A,
      { mbuffer: { source: true, dest: false } },
      "zfs send -I tank/a@s1 tank/a@s2 | mbuffer -q -s 128K -m 256M | ssh root@a 'zfs receive -v -u bk/a'",
    ],
    ['a small stream needs no buffer', L, A, { sizeBytes: 4096 }, "zfs send -I tank/a@s1 tank/a@s2 | ssh root@a 'zfs receive -v -u bk/a'"],
    [
      'sized from the estimate',
      L,
      A,
      { sizeBytes: 5 << 20, mbuffer: { source: false, dest: true } },
      "zfs send -I tank/a@s1 tank/a@s2 | ssh root@a 'mbuffer -q -s 128K -m 5M | zfs receive -v -u bk/a'",
    ],
    [
      'progress on this host, next to the uncompressed stream (push)',
      L,
      A,
      { pv: true, compressor: lzop, mbuffer: { source: false, dest: false } },
      "zfs send -I tank/a@s1 tank/a@s2 | pv -n -b -i 0.5 | lzop | ssh root@a 'lzop -dfc | zfs receive -v -u bk/a'",
    ],
    [
      'progress on this host (pull)',
      A,
      L,
      { pv: true, compressor: lzop, mbuffer: { source: false, dest: false } },
      "ssh root@a 'zfs send -I tank/a@s1 tank/a@s2 | lzop' | lzop -dfc | pv -n -b -i 0.5 | zfs receive -v -u bk/a",
    ],
    [
      'resumable, forced full, mounted',
      L,
      L,
      { step: { kind: 'full', snapshot: 's1', force: true }, receive: { mount: true, resumable: true, force: true } },
      'zfs send tank/a@s1 | zfs receive -v -s -F bk/a',
    ],
    [
      'raw',
      L,
      A,
      { send: { raw: true, props: false }, mbuffer: { source: false, dest: false } },
      "zfs send -w -I tank/a@s1 tank/a@s2 | ssh root@a 'zfs receive -v -u bk/a'",
    ],
  ])('%s', (_, src, dst, o, want) => {
    expect(line(src, dst, o)).toBe(want);
  });

  it('progress counts the stream, compressed only when relayed between two hosts (its size estimate then does not apply)', () => {
    const shape = (src: Endpoint, dst: Endpoint, o: Partial<TransferShape> = {}) =>
      transferPipeline(
        {
          step: { kind: 'full', snapshot: 's1', force: false },
          source: { endpoint: src, dataset: 'tank/a' },
          dest: { endpoint: dst, dataset: 'bk/a' },
          send: { raw: false, props: false },
          receive: { mount: false, resumable: false, force: false },
          mbuffer: { source: false, dest: false },
          pv: true,
          ...o,
        },
        argv,
      );
    expect(printPipeline(shape(L, L).pipeline)).toBe('zfs send tank/a@s1 | pv -n -b -i 0.5 | zfs receive -v -u bk/a');
    expect(shape(L, L)).toMatchObject({ pvIndex: 1 });
    expect(shape(L, A, { compressor: lzop }).pvCompressed).toBeUndefined();
    expect(shape(A, L, { compressor: lzop }).pvCompressed).toBeUndefined();
    expect(shape(A, B).pvCompressed).toBeUndefined();
    expect(shape(A, B, { compressor: lzop })).toMatchObject({ pvIndex: 2, pvCompressed: true });
  });

  // bwlimit: on the sending host, after the compressor (the bytes that travel are paced).
  it.each<[string, Endpoint, Endpoint, Partial<TransferShape>, string]>([
    [
      'local: mbuffer -r paces the raw pipe',
      L,
      L,
      { limit: { bytesPerSec: 10 << 20, tool: 'mbuffer' } },
      'zfs send -I tank/a@s1 tank/a@s2 | mbuffer -q -s 128K -m 8M -r 10M | zfs receive -v -u bk/a',
    ],
    [
      'local without mbuffer: pv -L',
      L,
      L,
      { limit: { bytesPerSec: 512 << 10, tool: 'pv' }, mbuffer: { source: false, dest: false } },
      'zfs send -I tank/a@s1 tank/a@s2 | pv -q -L 512K | zfs receive -v -u bk/a',
    ],
    [
      "push: the source's buffer carries the limit",
      L,
      A,
      { compressor: lzop, limit: { bytesPerSec: 10 << 20, tool: 'mbuffer' } },
      "zfs send -I tank/a@s1 tank/a@s2 | lzop | mbuffer -q -s 128K -m 256M -r 10M | ssh root@a 'mbuffer -q -s 128K -m 256M | lzop -dfc | zfs receive -v -u bk/a'",
    ],
    [
      'pull: paced on the remote source',
      A,
      L,
      { compressor: lzop, limit: { bytesPerSec: 1 << 30, tool: 'pv' }, mbuffer: { source: false, dest: true } },
      "ssh root@a 'zfs send -I tank/a@s1 tank/a@s2 | lzop | pv -q -L 1G' | mbuffer -q -s 128K -m 256M | lzop -dfc | zfs receive -v -u bk/a",
    ],
    [
      'relayed: paced on the source host',
      A,
      B,
      { limit: { bytesPerSec: 3 << 20, tool: 'mbuffer' }, sizeBytes: 4096 },
      "ssh root@a 'zfs send -I tank/a@s1 tank/a@s2 | mbuffer -q -s 128K -m 8M -r 3M' | ssh -p 2222 root@b 'zfs receive -v -u bk/a'",
    ],
  ])('bwlimit, %s', (_, src, dst, o, want) => {
    expect(line(src, dst, o)).toBe(want);
  });

  it('mbuffer as pyznap sizes it: a MiB per MiB of stream, 1 to 256 MiB', () => {
    expect(mbufferArgv(undefined)).toEqual(['mbuffer', '-q', '-s', '128K', '-m', '256M']);
    expect(mbufferArgv(100)).toEqual(['mbuffer', '-q', '-s', '128K', '-m', '1M']);
    expect(mbufferArgv(300 << 20)).toEqual(['mbuffer', '-q', '-s', '128K', '-m', '256M']);
  });

  it('every compressor has a compress and a decompress command', () => {
    expect([...COMPRESSORS.keys()]).toEqual(['lzop', 'lz4', 'zstd', 'gzip', 'pigz', 'bzip2', 'xz']);
    for (const c of COMPRESSORS.values()) expect(c.decompress[0]).toBe(c.compress[0]);
  });
});
