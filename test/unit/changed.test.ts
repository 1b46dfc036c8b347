import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { changeVerdict, unchangedDatasets } from '../../src/domain/snap/changed.js';
import type { DatasetState } from '../../src/domain/host-state.js';
import { planTake } from '../../src/domain/snap/take.js';
import { hostState, policy, sn } from '../support/state.js';

// snap_if_changed: the decision from one listing (OpenZFS `written`), and the take planner's
// hook. A skipped dataset must never change any type's own due decision.
const ds = (written: string | undefined, snaps = ['s1']): DatasetState => ({
  name: 'tank/a',
  type: 'filesystem',
  snapshots: snaps.map((name, i) => ({ dataset: 'tank/a', name, createtxg: i + 1, guid: String(i + 1), userrefs: 0 })),
  props: written === undefined ? {} : { written },
});
const on = (threshold = 0) => ({ enabled: true, threshold });

describe('changeVerdict', () => {
  it.each([
    ['nothing written', ds('0'), on(), { changed: false, known: true }],
    ['one byte written', ds('1'), on(), { changed: true, known: true }],
    ['written at the threshold', ds('65536'), on(65536), { changed: false, known: true }],
    ['written above the threshold', ds('65537'), on(65536), { changed: true, known: true }],
    ['no snapshot yet', ds('0', []), on(), { changed: true, known: true }],
    ['a listing without written (zfs-fuse)', ds(undefined), on(), { changed: true, known: false }],
    ['written shown as "-"', ds('-'), on(), { changed: true, known: false }],
  ] as const)('%s', (_, d, s, want) => {
    expect(changeVerdict(d, s, true)).toMatchObject(want);
  });

  it('never calls data unchanged where the host has no written property', () => {
    expect(changeVerdict(ds('0'), on(), false)).toMatchObject({ changed: true, known: false });
  });

  it('names the snapshot and the numbers in the reason', () => {
    expect(changeVerdict(ds('12288', ['a', 'b']), on(65536), true).why).toBe(
      'unchanged since @b (12.0K written ≤ written_threshold 64.0K)',
    );
  });

  it('skips only datasets that asked for it, and lists those it cannot tell', () => {
    const state = new Map([
      ['tank/a', ds('0')],
      ['tank/b', { ...ds('0'), name: 'tank/b' }],
      ['tank/c', { ...ds(undefined), name: 'tank/c' }],
    ]);
    const r = unchangedDatasets(state, (d) => (d === 'tank/b' ? { enabled: false, threshold: 0 } : on()), true);
    expect([...r.skip.keys()]).toEqual(['tank/a']);
    expect(r.unknown).toEqual(['tank/c']);
  });
});

describe('planTake with unchanged datasets', () => {
  const NOW = Date.UTC(2020, 0, 1, 0, 0, 0); // midnight: hourly and daily both due
  const p = policy({ counts: { hourly: 24, daily: 7, frequent: 4 } });

  it('skips every due type of an unchanged dataset and keeps the others as they were', () => {
    const state = hostState({ tank: [sn('2019-12-31 23:00', 'hourly')], 'tank/a': [sn('2019-12-31 23:00', 'hourly')] });
    const policies = new Map([
      ['tank', p],
      ['tank/a', p],
    ]);
    const plain = planTake(state, policies, NOW, { multiSnapshot: false });
    const skipped = planTake(state, policies, NOW, { multiSnapshot: false }, new Map([['tank/a', 'unchanged since @x']]));
    expect(skipped.batches.flatMap((b) => b.covers)).not.toContain('tank/a');
    expect(skipped.batches.every((b) => !b.recursive)).toBe(true); // tank's -r would cover tank/a
    for (const d of skipped.decisions) {
      const before = plain.decisions.find((x) => x.dataset === d.dataset && x.type === d.type)!;
      if (d.dataset === 'tank') expect(d).toEqual(before);
      else expect(d).toMatchObject({ due: false, unchanged: true, why: `${before.why}, but unchanged since @x` });
    }
  });

  it('a skipped hourly leaves the daily decision alone, run after run in the same period', () => {
    const state = hostState({ tank: [sn('2019-12-31 00:00', 'daily'), sn('2019-12-31 23:00', 'hourly')] });
    const policies = new Map([['tank', p]]);
    for (const minute of [0, 15, 30, 45]) {
      const now = NOW + minute * 60_000;
      const skipped = planTake(state, policies, now, { multiSnapshot: true }, new Map([['tank', 'unchanged']]));
      expect(skipped.batches).toEqual([]);
      const changed = planTake(state, policies, now, { multiSnapshot: true });
      // As soon as the data changes, everything due in this period is taken.
      expect(
        changed.decisions
          .filter((d) => d.due)
          .map((d) => d.type)
          .sort(),
      ).toEqual(['daily', 'frequent', 'hourly']);
    }
  });

  it('property: skipping removes exactly the skipped datasets and changes no due decision', () => {
    const names = ['tank', 'tank/a', 'tank/a/b', 'tank/c'];
    fc.assert(
      fc.property(fc.subarray(names), fc.integer({ min: 0, max: 3 * 24 * 60 }), (skip, minutes) => {
        const state = hostState(Object.fromEntries(names.map((n, i) => [n, i % 2 ? [sn('2019-12-31 23:00', 'hourly')] : []])));
        const policies = new Map(names.map((n) => [n, p]));
        const now = NOW + minutes * 60_000;
        const plain = planTake(state, policies, now, { multiSnapshot: false });
        const skipped = planTake(state, policies, now, { multiSnapshot: false }, new Map(skip.map((s) => [s, 'unchanged'])));
        const covered = (plan: typeof plain) => plan.batches.flatMap((b) => b.covers.map((c) => `${c}@${b.snapName}`)).sort();
        expect(covered(skipped)).toEqual(covered(plain).filter((c) => !skip.includes(c.split('@')[0]!)));
        expect(skipped.decisions.map((d) => [d.dataset, d.type, d.due || d.unchanged === true])).toEqual(
          plain.decisions.map((d) => [d.dataset, d.type, d.due]),
        );
      }),
    );
  });
});
