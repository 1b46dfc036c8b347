import { describe, expect, it } from 'vitest';
import { planTake } from '../../src/domain/snap/take.js';
import { hostState, policy, sn } from '../support/state.js';

const NOW = Date.UTC(2020, 0, 1, 10, 30, 0);
const all = (p = policy({ counts: { hourly: 1, daily: 1 } })) => p;

describe('take planning', () => {
  it('covers a uniform tree with one recursive call per type', () => {
    const state = hostState({ tank: [], 'tank/a': [], 'tank/a/b': [], 'tank/c': [] });
    const policies = new Map([...state.datasets.keys()].map((d) => [d, all()]));
    const plan = planTake(state, policies, NOW, { multiSnapshot: false });
    expect(plan.batches.map((b) => [b.recursive, b.targets, b.snapName])).toEqual([
      [true, ['tank'], 'holdfast_2020-01-01_10:30:00_daily'],
      [true, ['tank'], 'holdfast_2020-01-01_10:30:00_hourly'],
    ]);
    expect(plan.batches[0]!.covers).toHaveLength(4);
  });

  it('leaves a snap = no child and its subtree out, with -r where the tree allows (zfs-fuse)', () => {
    const state = hostState({ tank: [], 'tank/a': [], 'tank/a/b': [], 'tank/c': [], 'tank/c/d': [] });
    const p = all();
    const policies = new Map([
      ['tank', p],
      ['tank/a', policy({ snap: false })],
      ['tank/a/b', policy({ snap: false })],
      ['tank/c', p],
      ['tank/c/d', p],
    ]);
    const plan = planTake(state, policies, NOW, { multiSnapshot: false });
    const daily = plan.batches.filter((b) => b.type === 'daily').map((b) => [b.recursive, b.targets]);
    expect(daily).toEqual([
      [true, ['tank/c']],
      [false, ['tank']],
    ]);
    expect(plan.batches.flatMap((b) => b.covers)).not.toContain('tank/a');
  });

  it('takes the opt-out tree in one atomic call per type on OpenZFS', () => {
    const state = hostState({ tank: [], 'tank/a': [], 'tank/c': [] });
    const policies = new Map([
      ['tank', all()],
      ['tank/a', policy({ snap: false })],
      ['tank/c', all()],
    ]);
    const plan = planTake(state, policies, NOW, { multiSnapshot: true });
    expect(plan.batches.map((b) => [b.recursive, b.targets])).toEqual([
      [false, ['tank', 'tank/c']],
      [false, ['tank', 'tank/c']],
    ]);
  });

  it('gives a child created later its own snapshots of every type (pyznap checklist 2)', () => {
    const state = hostState({ tank: [sn('2020-01-01 10:00', 'hourly'), sn('2020-01-01 00:00', 'daily')], 'tank/new': [] });
    const policies = new Map([...state.datasets.keys()].map((d) => [d, all()]));
    const plan = planTake(state, policies, NOW, { multiSnapshot: false });
    expect(plan.batches.map((b) => [b.type, b.recursive, b.targets])).toEqual([
      ['daily', true, ['tank/new']],
      ['hourly', true, ['tank/new']],
    ]);
  });

  it('takes nothing twice in one minute (pyznap checklist 1)', () => {
    const names = ['yearly', 'monthly', 'weekly', 'daily', 'hourly', 'frequent'].map((t) => sn('2020-01-01 10:30', t));
    const state = hostState({ tank: names });
    const counts = { yearly: 1, monthly: 1, weekly: 1, daily: 1, hourly: 1, frequent: 1 };
    const plan = planTake(state, new Map([['tank', policy({ counts })]]), NOW + 20_000, { multiSnapshot: false });
    expect(plan.batches).toEqual([]);
    expect(plan.decisions.every((d) => !d.due)).toBe(true);
  });

  it('uses one timestamp for every type of a run, in the policy zone', () => {
    const state = hostState({ tank: [] });
    const plan = planTake(state, new Map([['tank', policy({ counts: { yearly: 1, frequent: 1 }, zone: 'Europe/Berlin' })]]), NOW, {
      multiSnapshot: false,
    });
    expect(plan.batches.map((b) => b.snapName)).toEqual(['holdfast_2020-01-01_11:30:00_yearly', 'holdfast_2020-01-01_11:30:00_frequent']);
  });
});
