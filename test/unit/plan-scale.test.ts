import { describe, expect, it } from 'vitest';
import { planClean } from '../../src/domain/snap/clean.js';
import type { HostState } from '../../src/domain/host-state.js';
import type { Snapshot } from '../../src/domain/snapshot.js';
import { parseSnapshotName } from '../../src/domain/snapshot-name.js';
import { compareTrees } from '../../src/domain/views/compare.js';
import { hostState, policy, sn } from '../support/state.js';

// Issue 15: planning is linear in the snapshots, and two bugs found on the way.

// CPU time of one call (not wall time: the machine is shared); the best of three.
function cpu(f: () => unknown): number {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 5; i++) {
    const c0 = process.cpuUsage();
    f();
    const c = process.cpuUsage(c0);
    best = Math.min(best, c.user + c.system);
  }
  return best;
}

function oneDataset(n: number, name = 'tank/data'): HostState {
  const snapshots: Snapshot[] = [];
  for (let i = 0; i < n; i++) {
    const d = new Date(Date.UTC(2000, 0, 1) + i * 900_000).toISOString();
    snapshots.push({
      dataset: name,
      name: `holdfast_${d.slice(0, 10)}_${d.slice(11, 19)}_frequent`,
      createtxg: i + 1,
      guid: String(i),
      userrefs: 0,
    });
  }
  return { datasets: new Map([[name, { name, type: 'filesystem', snapshots, props: {} }]]), missing: [] };
}

describe('linear in the snapshots of a dataset', () => {
  // Quadratic code takes 256× as long for 16× the snapshots; linear code about 16× (a bound of
  // 64× leaves room for a loaded machine and the garbage collector).
  it('clean: 16× the snapshots of one dataset cost less than 64× the time', () => {
    const pol = new Map([['tank/data', policy({ counts: { frequent: 4 } })]]);
    const small = oneDataset(10_000);
    const large = oneDataset(160_000);
    const t = (s: HostState) => cpu(() => planClean(s, pol, new Map(), { commaDestroy: false }).batches.length);
    expect(t(large) / t(small)).toBeLessThan(64);
  }, 120_000);

  it('compare: a destination with many snapshots the source lacks costs linear time', () => {
    const view = (n: number) => {
      const src = oneDataset(n, 'tank');
      const dst = oneDataset(n, 'tank');
      // The source keeps every 10th snapshot: the rest are target-only, each to be placed.
      const kept = src.datasets.get('tank')!.snapshots.filter((_, i) => i % 10 === 0);
      (src.datasets as Map<string, unknown>).set('tank', { ...src.datasets.get('tank')!, snapshots: kept });
      return () => compareTrees({ source: { root: 'tank', state: src }, dest: { root: 'tank', state: dst }, excludes: [], nowMs: 0 });
    };
    // A baseline of 20,000, not less: a few milliseconds of CPU are mostly noise on a busy machine.
    expect(cpu(view(320_000)) / cpu(view(20_000))).toBeLessThan(64);
  }, 120_000);
});

describe('reasons are data until printed', () => {
  it('a verdict keeps its reasons as codes and arguments; the text is rendered when read', () => {
    const names = [`${sn('2020-01-01 09:00', 'hourly')}!`, sn('2020-01-01 10:00', 'hourly'), sn('2020-01-01 11:00', 'hourly')];
    const state = hostState({ tank: names });
    const plan = planClean(state, new Map([['tank', policy({ counts: { hourly: 1 } })]]), new Map(), { commaDestroy: true });
    const [held, gone, kept] = plan.datasets[0]!.verdicts;
    expect(gone!.why).toEqual([{ code: 'beyond-count', type: 'hourly', count: 1 }]);
    expect(kept!.why).toEqual([{ code: 'newest', type: 'hourly', rank: 1, of: 1 }]);
    expect(held!.why).toEqual([{ code: 'held', holds: 1, tags: undefined }]);
    expect([gone!.reasons, kept!.reasons, held!.reasons]).toEqual([
      ['older than the newest 1 hourly'],
      ['hourly 1 of 1'],
      ['held (1 hold)'],
    ]);
  });

  it('snapshots destroyed for the same reason share one reason', () => {
    const state = oneDataset(1000);
    const plan = planClean(state, new Map([['tank/data', policy({ counts: { frequent: 4 } })]]), new Map(), { commaDestroy: true });
    const gone = plan.datasets[0]!.verdicts.filter((v) => !v.keep);
    expect(new Set(gone.map((v) => v.why)).size).toBe(1);
  });
});

describe('found on the way', () => {
  // Before: the type field was looked up in an object literal, so "constructor" read as a type
  // (Object's constructor), the name as managed, and clean destroyed it ("… count is not set").
  it('a name ending in _constructor or _toString is not a managed name, and clean keeps it', () => {
    expect(parseSnapshotName('holdfast_2020-01-01_10:00:00_constructor')).toBeUndefined();
    expect(parseSnapshotName('holdfast_2020-01-01_10:00:00_toString')).toBeUndefined();
    const state = hostState({ tank: ['holdfast_2020-01-01_10:00:00_constructor'] });
    const plan = planClean(state, new Map([['tank', policy({ counts: { hourly: 1 } })]]), new Map(), { commaDestroy: true });
    expect(plan.batches).toEqual([]);
  });

  // Before: only the parent was checked, so tank and tank/a/b were both roots of `-r` calls
  // when tank/a lacks the name; `zfs destroy -r tank@x` removed tank/a/b@x and the second failed.
  it('one -r call when a dataset between two that lose a name does not have it', () => {
    const old = sn('2020-01-01 09:00', 'hourly');
    const mid = sn('2020-01-01 10:00', 'hourly');
    const state = hostState({ tank: [old, mid], 'tank/a': [mid], 'tank/a/b': [old, mid] });
    const pol = policy({ counts: { hourly: 1 } });
    const plan = planClean(state, new Map([...state.datasets.keys()].map((d) => [d, pol])), new Map(), { commaDestroy: false });
    expect(plan.batches.map((b) => [b.recursive, b.dataset, b.snapNames, b.covers.map((c) => c.dataset)])).toEqual([
      [true, 'tank', [old], ['tank', 'tank/a/b']],
    ]);
  });
});
