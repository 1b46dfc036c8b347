import { describe, expect, it } from 'vitest';
import { type PairPlan, type SnapRef, planPair } from '../../src/domain/replication/index.js';
import { LOCAL, type Endpoint } from '../../src/domain/endpoint.js';
import { sendArgv } from '../../src/adapters/zfs/replication.js';
import { bookmarkName } from '../../src/app/send/bookmarks.js';

// A base destroyed on the source, its bookmark left (OpenZFS): the chain goes on from the
// bookmark with -i (zfs send takes no -I from a bookmark); the guid decides, never the name.
const ref = (name: string, txg: number, guid = `g${name}`): SnapRef => ({ name, guid, createtxg: txg, userrefs: 0 });

function plan(src: SnapRef[], dst: SnapRef[], bookmarks: SnapRef[], force = false, selected = (_: SnapRef) => true): PairPlan {
  return planPair({
    source: { endpoint: LOCAL, dataset: 'tank/a', snapshots: src, bookmarks },
    dest: { endpoint: LOCAL, dataset: 'bk/a', exists: true, snapshots: dst },
    options: { initial: 'oldest', selected, force },
  });
}
const view = (p: PairPlan): string[] =>
  p.steps.map((s) => (s.kind === 'incremental' ? `${s.flag} ${s.bookmark ? '#' : '@'}${s.from} ${s.to}` : s.kind));

describe('sending from a bookmark', () => {
  const bm = ref('holdfast_bk_a_12345678', 2, 'gs2'); // made from s2

  it('the base s2 is gone on the source: -i #bookmark to the next snapshot, then -I to the newest', () => {
    const p = plan([ref('s1', 1), ref('s3', 3), ref('s4', 4), ref('s5', 5)], [ref('s1', 1), ref('s2', 2)], [bm]);
    expect(p.outcome).toBe('send');
    expect(view(p)).toEqual(['-i #holdfast_bk_a_12345678 s3', '-I @s3 s5']);
    expect(p).toMatchObject({ base: 's2', baseBookmark: bm.name, newBase: 's5' });
    expect(sendArgv(p.steps[0] as never, 'tank/a', { raw: false, props: false })).toEqual([
      'zfs',
      'send',
      '-i',
      'tank/a#holdfast_bk_a_12345678',
      'tank/a@s3',
    ]);
  });

  it('the common snapshot still there wins over the bookmark', () => {
    const p = plan([ref('s2', 2), ref('s3', 3)], [ref('s2', 2)], [bm]);
    expect(view(p)).toEqual(['-I @s2 s3']);
    expect(p.baseBookmark).toBeUndefined();
  });

  it('a bookmark whose guid no destination snapshot has is no base: the usual conflict', () => {
    const p = plan([ref('s3', 3)], [ref('s2', 2, 'other')], [bm]);
    expect(p.outcome).toBe('conflict');
    expect(p.conflict?.kind).toBe('no-common');
  });

  it('destination snapshots newer than the marked one: a conflict, or destroyed with force', () => {
    const dst = [ref('s2', 2), ref('mine', 9, 'gmine')];
    const c = plan([ref('s3', 3)], dst, [bm]);
    expect(c.outcome).toBe('conflict');
    expect(c.conflict?.kind).toBe('dest-ahead');
    const f = plan([ref('s3', 3)], dst, [bm], true);
    expect(view(f)).toEqual(['destroy-dest', '-i #holdfast_bk_a_12345678 s3']);
  });

  it('nothing newer than the bookmark on the source: up to date, the destination base kept', () => {
    const p = plan([ref('s1', 1)], [ref('s1', 1), ref('s2', 2)], [bm]);
    expect(p).toMatchObject({ outcome: 'up-to-date', base: 's2', newBase: 's2', steps: [] });
  });

  it('send_types = kept: -i from the bookmark to the first selected snapshot after it', () => {
    const p = plan([ref('s3', 3), ref('x4', 4), ref('s5', 5)], [ref('s2', 2)], [bm], false, (s) => !s.name.startsWith('x'));
    expect(view(p)).toEqual(['-i #holdfast_bk_a_12345678 s3', '-i @s3 s5']);
  });
});

describe('bookmark names', () => {
  it('one per destination, only characters zfs allows in a bookmark name, stable', () => {
    const nas: Endpoint = { kind: 'ssh', host: 'nas', user: 'root', port: 2222 };
    const a = bookmarkName(nas, 'pool/with space:x@y');
    expect(a).toMatch(/^holdfast_[A-Za-z0-9_.-]+_[0-9a-f]{8}$/);
    expect(a).toBe(bookmarkName(nas, 'pool/with space:x@y'));
    expect(a.startsWith('holdfast_root_nas_2222_pool_with_space_x_y_')).toBe(true);
    // places that spell alike stay apart by their digest
    expect(bookmarkName(LOCAL, 'pool/a:b')).not.toBe(bookmarkName(LOCAL, 'pool/a_b'));
    expect(bookmarkName(LOCAL, `pool/${'x'.repeat(300)}`).length).toBeLessThan(80);
  });
});
