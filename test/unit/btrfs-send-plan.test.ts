import { describe, expect, it } from 'vitest';
import { pipelineOf } from '../../src/adapters/btrfs/replica.js';
import { printPipeline } from '../../src/adapters/pipeline/pipeline.js';
import { type DestSubvolume, type SourceSnapshot, planBtrfsSend } from '../../src/app/btrfs/send-plan.js';
import { btrfsSendJobs } from '../../src/app/btrfs/send.js';
import { parsePolicyText } from '../../src/config/parse.js';
import { parseLocation } from '../../src/domain/location.js';

const src = (...names: string[]): SourceSnapshot[] => names.map((name, i) => ({ name, uuid: `u-${name}`, order: i + 1 }));
const got = (name: string, from = name): DestSubvolume => ({ name, receivedUuid: `u-${from}`, readonly: true });

describe('btrfs send planning', () => {
  it.each([
    {
      why: 'nothing at the destination: the oldest in full, then each from the previous',
      dest: [],
      steps: [{ name: 'a' }, { name: 'b', parent: 'a' }, { name: 'c', parent: 'b' }],
      common: undefined,
    },
    {
      why: 'the newest common snapshot (by received_uuid) is the parent',
      dest: [got('a'), got('b')],
      steps: [{ name: 'c', parent: 'b' }],
      common: 'b',
    },
    {
      why: 'a common snapshot under another name still counts',
      dest: [got('renamed', 'b')],
      steps: [{ name: 'c', parent: 'b' }],
      common: 'b',
    },
    {
      why: 'older snapshots missing at the destination are not sent back in time',
      dest: [got('b')],
      steps: [{ name: 'c', parent: 'b' }],
      common: 'b',
    },
    { why: 'up to date', dest: [got('a'), got('b'), got('c')], steps: [], common: 'c' },
  ])('$why', ({ dest, steps, common }) => {
    const plan = planBtrfsSend(src('a', 'b', 'c'), dest);
    expect(plan).toEqual({ kind: 'send', steps, clear: [], ...(common ? { common } : {}) });
  });

  it('an unfinished receive (writable, no received_uuid) in the way is cleared first', () => {
    const plan = planBtrfsSend(src('a', 'b'), [got('a'), { name: 'b', readonly: false }]);
    expect(plan).toEqual({ kind: 'send', common: 'a', steps: [{ name: 'b', parent: 'a' }], clear: ['b'] });
  });

  it('anything else with that name is a conflict; nothing is overwritten', () => {
    const plan = planBtrfsSend(src('a', 'b'), [got('a'), { name: 'b', readonly: true }]);
    expect(plan).toMatchObject({ kind: 'conflict', message: expect.stringMatching(/already has a different b \(read-only/) });
  });

  it('a source that is itself a replica is matched by its received_uuid', () => {
    const source: SourceSnapshot[] = [
      { name: 'a', uuid: 'local-a', receivedUuid: 'orig-a', order: 1 },
      { name: 'b', uuid: 'local-b', receivedUuid: 'orig-b', order: 2 },
    ];
    expect(planBtrfsSend(source, [{ name: 'a', receivedUuid: 'orig-a', readonly: true }])).toMatchObject({
      common: 'a',
      steps: [{ name: 'b', parent: 'a' }],
    });
  });
});

describe('btrfs send pipelines and destinations', () => {
  it('compresses only across a network, each half on its own end', () => {
    const remote = { kind: 'ssh', host: 'backup', user: 'root', port: 2222 } as const;
    const t = {
      source: { endpoint: { kind: 'local' } as const, path: '/d/.snapshots/b' },
      parent: '/d/.snapshots/a',
      dest: { endpoint: remote, dir: "/mnt/it's x" },
      compress: 'zstd',
    };
    expect(printPipeline(pipelineOf(t))).toBe(
      "btrfs send -q -p /d/.snapshots/a /d/.snapshots/b | zstd -q -c --adapt | ssh -p 2222 root@backup 'zstd -q -dc | btrfs receive '\\''/mnt/it'\\''\\'\\'''\\''s x'\\'''",
    );
    expect(pipelineOf({ ...t, dest: { endpoint: { kind: 'local' }, dir: '/b' } }).stages.map((s) => s.role)).toEqual(['send', 'receive']);
  });

  it('btrfs:ssh:PORT:USER@HOST:/PATH locations', () => {
    expect(parseLocation('btrfs:ssh:2222:root@10.0.0.1:/mnt/b k')).toEqual({
      ok: true,
      value: { kind: 'btrfs', endpoint: { kind: 'ssh', host: '10.0.0.1', user: 'root', port: 2222 }, path: '/mnt/b k' },
    });
    expect(parseLocation('btrfs:ssh::[::1]:/x')).toMatchObject({ ok: true, value: { endpoint: { host: '::1' } } });
    expect(parseLocation('btrfs:ssh:22:root@host:relative')).toMatchObject({ ok: false });
  });

  it('jobs: one per btrfs destination, compress and dest_keys per destination; a zfs destination is a problem', () => {
    const f = parsePolicyText(
      '[btrfs:/data]\ndest = btrfs:/mnt/b, btrfs:ssh:22:root@h:/r, tank/x\ncompress = none, zstd, none\ndest_keys = , /k, \n',
      '/x.conf',
    );
    const { jobs, problems } = btrfsSendJobs(f);
    expect(jobs.map((j) => [j.dest.dir, j.compress, j.identity])).toEqual([
      ['/mnt/b', undefined, undefined],
      ['/r', 'zstd', '/k'],
    ]);
    expect(problems).toEqual([
      expect.objectContaining({ target: 'btrfs:/data → tank/x', message: expect.stringMatching(/only to a btrfs destination/) }),
    ]);
  });
});
