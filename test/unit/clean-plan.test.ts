import { describe, expect, it } from 'vitest';
import { lazyVerdicts, planClean } from '../../src/domain/snap/clean.js';
import { hostState, policy, sn } from '../support/state.js';

const old = sn('2020-01-01 09:00', 'hourly');
const mid = sn('2020-01-01 10:00', 'hourly');
const pol = policy({ counts: { hourly: 1 } });

describe('clean batching', () => {
  it('destroys a name dropped by a whole subtree with one -r call', () => {
    const state = hostState({ tank: [old, mid], 'tank/a': [old, mid], 'tank/a/b': [old, mid] });
    const plan = planClean(state, new Map([...state.datasets.keys()].map((d) => [d, pol])), new Map(), { commaDestroy: false });
    expect(plan.batches.map((b) => [b.recursive, b.dataset, b.snapNames])).toEqual([[true, 'tank', [old]]]);
    expect(plan.batches[0]!.covers).toHaveLength(3);
  });

  it('does not use -r over a descendant that keeps the name (held, or clean = no)', () => {
    const state = hostState({ tank: [old, mid], 'tank/a': [`${old}!`, mid], 'tank/b': [old, mid], 'tank/c': [old, mid] });
    const policies = new Map([
      ['tank', pol],
      ['tank/a', pol],
      ['tank/b', pol],
      ['tank/c', policy({ clean: false })],
    ]);
    const plan = planClean(state, policies, new Map(), { commaDestroy: false });
    const calls = plan.batches.map((b) => [b.recursive, b.dataset]);
    expect(calls).toContainEqual([false, 'tank']);
    expect(calls).toContainEqual([true, 'tank/b']);
    expect(calls.some(([, d]) => d === 'tank/a' || d === 'tank/c')).toBe(false);
  });

  it('keeps a name a listing repeats when any copy of it stays (zfs destroys by name)', () => {
    const state = hostState({ tank: [old, `${old}!`, mid] });
    const plan = planClean(state, new Map([['tank', pol]]), new Map(), { commaDestroy: true });
    expect(plan.datasets[0]!.verdicts.map((v) => v.keep)).toEqual([false, true, true]);
    expect(plan.batches).toEqual([]);
  });

  it('uses comma lists on OpenZFS', () => {
    const names = [sn('2020-01-01 07:00', 'hourly'), sn('2020-01-01 08:00', 'hourly'), old, mid];
    const state = hostState({ tank: names, 'tank/a': names });
    const plan = planClean(state, new Map([...state.datasets.keys()].map((d) => [d, pol])), new Map(), { commaDestroy: true });
    expect(plan.batches.map((b) => [b.recursive, b.dataset, b.snapNames])).toEqual([[true, 'tank', names.slice(0, 3)]]);
  });
});

describe('clean verdicts', () => {
  it('are built when first read, once, not while planning', () => {
    let builds = 0;
    const d = lazyVerdicts('tank', 'tank', () => {
      builds++;
      return [];
    });
    expect(builds).toBe(0);
    expect(d.verdicts).toBe(d.verdicts);
    expect(builds).toBe(1);
  });

  it('name each managed snapshot, with the reason it stays or goes', () => {
    const state = hostState({ tank: [old, 'manual', mid] });
    const plan = planClean(state, new Map([['tank', pol]]), new Map(), { commaDestroy: true });
    expect(plan.datasets[0]!.verdicts.map((v) => [v.item.name, v.item.parsed.type, v.keep, v.reasons])).toEqual([
      [old, 'hourly', false, ['older than the newest 1 hourly']],
      [mid, 'hourly', true, ['hourly 1 of 1']],
    ]);
  });
});
