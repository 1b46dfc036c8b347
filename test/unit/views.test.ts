import { describe, expect, it } from 'vitest';
import { parseGetOutput } from '../../src/adapters/zfs/parse-get.js';
import { planCleanup } from '../../src/domain/views/cleanup.js';
import type { DatasetState, HostState } from '../../src/domain/host-state.js';
import { compareTrees } from '../../src/domain/views/compare.js';
import { lagOf } from '../../src/domain/views/lag.js';
import { treeOrder, treeRows } from '../../src/domain/views/tree.js';
import { ageText, parseAge, parseBytes, zfsBytesText } from '../../src/domain/units.js';
import { FLAVOURS, fixture } from '../support/fixtures.js';
import { policy, sn } from '../support/state.js';

// The pure views: tree rows from real listings, the compare diff, lag, cleanup's plan.

// name → [snapshot, guid, creation][] ; guids make identity, creation makes ages.
type Spec = Record<string, readonly (readonly [string, string, number])[]>;
function state(spec: Spec, props: Record<string, Record<string, string>> = {}): HostState {
  let txg = 1;
  const datasets = new Map<string, DatasetState>();
  for (const [name, snaps] of Object.entries(spec)) {
    const snapshots = snaps.map(([s, guid, creation]) => ({
      dataset: name,
      name: s,
      createtxg: txg++,
      guid,
      userrefs: s.endsWith('!') ? 1 : 0,
      props: { creation: String(creation) },
    }));
    datasets.set(name, {
      name,
      type: 'filesystem',
      snapshots: snapshots.map((s) => ({ ...s, name: s.name.replace(/!$/, '') })),
      props: props[name] ?? {},
    });
  }
  return { datasets, missing: [] };
}
const NOW = 1_000_000_000_000; // ms
const T = NOW / 1000;

describe('units', () => {
  it.each([
    [0, '0B'],
    [512, '512B'],
    [1024, '1.00K'],
    [21504, '21.0K'],
    [1572864, '1.50M'],
    [134217728, '128M'],
    [3 * 1024 ** 3, '3.00G'],
  ])('zfsBytesText(%d) = %s', (n, s) => expect(zfsBytesText(n)).toBe(s));
  it.each([
    [5, '5s'],
    [59, '59s'],
    [60, '1m'],
    [3599, '59m'],
    [3600, '1h00m'],
    [7 * 3600 + 12 * 60, '7h12m'],
    [86400 * 3 + 3600 * 4, '3d04h'],
    [-5, 'future'],
  ])('ageText(%d) = %s', (n, s) => expect(ageText(n)).toBe(s));
  it.each([
    ['90m', 5400],
    ['28h', 100800],
    ['1d12h', 129600],
    ['2w', 1209600],
    ['45', 45],
    ['0', 0],
    ['1x', undefined],
    ['h', undefined],
  ])('parseAge(%s)', (t, n) => expect(parseAge(t)).toBe(n));
  it.each([
    ['0', 0],
    ['65536', 65536],
    ['64K', 65536],
    ['1M', 1048576],
    ['1.5G', 1610612736],
    ['1MiB', 1048576],
    ['lots', undefined],
  ])('parseBytes(%s)', (t, n) => expect(parseBytes(t)).toBe(n));
});

describe.each(FLAVOURS)('tree rows from a real listing (%s)', (flavour) => {
  const f = fixture(flavour, 'get-tree');
  const s = parseGetOutput(f.stdout, f.stderr);
  const root = [...s.datasets.keys()][0]!;
  it('gives every dataset in tree order with counts, the newest snapshot and the space figures', () => {
    const rows = treeRows(s, [root], (Number(s.datasets.get(root)!.snapshots.at(-1)!.props!.creation) + 60) * 1000);
    expect(rows.map((r) => [r.dataset.slice(root.length), r.depth])).toEqual([
      ['', 0],
      ['/a', 1],
      ['/a/b', 2],
      ['/with space', 1],
    ]);
    const top = rows[0]!;
    expect(top.snapshots).toBe(s.datasets.get(root)!.snapshots.length);
    expect(top.counts.other).toBe(top.snapshots); // @s1 @mid @s2 are not in the managed format
    expect(top.ageSec).toBe(60);
    expect(top.used).toBeGreaterThan(0);
    expect(top.compressratio).toBe(1); // "1.00" (OpenZFS) and "1.00x" (zfs-fuse) alike
  });
});

describe('tree order', () => {
  it('puts children right after their parent', () => {
    expect(['a b', 'a/b', 'a', 'a/b/c', 'a/a'].sort(treeOrder)).toEqual(['a', 'a/a', 'a/b', 'a/b/c', 'a b']);
  });
  it('counts snapshots per type, other names apart', () => {
    const st = state({
      t: [
        [sn('2020-01-01 10:00', 'hourly'), '1', T],
        [sn('2020-01-01 00:00', 'daily', 'pyznap'), '2', T],
        ['manual', '3', T],
      ],
    });
    expect(treeRows(st, ['t'], NOW)[0]!.counts).toMatchObject({ hourly: 1, daily: 1, other: 1, frequent: 0 });
  });
});

describe('lag', () => {
  const snaps = state({
    t: [
      ['a', '1', T - 7200],
      ['b', '2', T - 3600],
      ['c', '3', T - 60],
    ],
  }).datasets.get('t')!.snapshots;
  it.each([
    ['up to date', 2, { sec: 0, behind: 0 }],
    ['one behind', 1, { sec: 60, behind: 1, oldestMissing: 'c' }],
    ['two behind: the oldest missing counts', 0, { sec: 3600, behind: 2, oldestMissing: 'b', newestMissing: 'c', newestMissingSec: 60 }],
  ])('%s', (_, baseIndex, want) => expect(lagOf(snaps, snaps[baseIndex], T)).toMatchObject(want));
  it('without a base, everything is missing', () => expect(lagOf(snaps, undefined, T)).toMatchObject({ sec: 7200, behind: 3 }));
});

describe('compare', () => {
  const src = state({
    'tank/d': [
      ['s1', 'g1', T - 300],
      ['s2', 'g2', T - 200],
      ['s3', 'g3', T - 100],
    ],
    'tank/d/up': [['s1', 'u1', T - 300]],
    'tank/d/new': [['s1', 'n1', T - 300]],
    'tank/d/ahead': [['s1', 'a1', T - 300]],
    'tank/d/clash': [['s1', 'c1', T - 300]],
    'tank/d/skip': [['s1', 'k1', T - 300]],
  });
  const dst = state(
    {
      'bak/d': [
        ['s1', 'g1', T - 300],
        ['s2', 'g2', T - 200],
      ],
      'bak/d/up': [['s1', 'u1', T - 300]],
      'bak/d/ahead': [
        ['s1', 'a1', T - 300],
        ['extra', 'x', T - 50],
      ],
      'bak/d/clash': [['s1', 'OTHER', T - 300]],
      'bak/d/old': [],
      'bak/d/skip': [],
    },
    { 'bak/d/old': { referenced: '4096' } },
  );
  const rows = compareTrees({
    source: { root: 'tank/d', state: src },
    dest: { root: 'bak/d', state: dst },
    excludes: ['*/skip'],
    nowMs: NOW,
  });
  const by = (n: string) => rows.find((r) => r.source === `tank/d${n}`)!;
  it('pairs both sides by name, in tree order', () => {
    expect(rows.map((r) => [r.source, r.dest, r.state])).toEqual([
      ['tank/d', 'bak/d', 'behind'],
      ['tank/d/ahead', 'bak/d/ahead', 'conflict'],
      ['tank/d/clash', 'bak/d/clash', 'conflict'],
      ['tank/d/new', 'bak/d/new', 'missing-on-target'],
      ['tank/d/old', 'bak/d/old', 'missing-on-source'],
      ['tank/d/skip', 'bak/d/skip', 'excluded'],
      ['tank/d/up', 'bak/d/up', 'up-to-date'],
    ]);
  });
  it('counts the snapshots per side and finds the common base and the lag', () => {
    expect(by('')).toMatchObject({
      counts: { source: 3, target: 2, common: 2, sourceOnly: 1, targetOnly: 0, differs: 0 },
      base: 's2',
      lag: { sec: 100, behind: 1 },
    });
    expect(by('/up')).toMatchObject({ base: 's1', lag: { sec: 0, behind: 0 } });
    expect(by('/new').lag).toMatchObject({ sec: 300, behind: 1 });
  });
  it('reports a diverged destination and a guid conflict', () => {
    expect(by('/ahead').conflicts).toEqual([
      { kind: 'target-ahead', names: ['extra'], text: 'the target has 1 snapshot newer than the common base: @extra' },
    ]);
    expect(by('/ahead').snapshots.map((s) => `${s.where}:${s.name}`)).toEqual(['both:s1', 'target:extra']);
    expect(by('/clash').conflicts.map((c) => c.kind)).toEqual(['guid-mismatch', 'no-common']);
    expect(by('/clash').counts.differs).toBe(1);
  });
  it('a target that exists without snapshots is a conflict, whatever it holds (send never overwrites it unasked)', () => {
    const rows2 = compareTrees({
      source: { root: 'tank/d', state: state({ 'tank/d': [['s1', 'g1', T - 300]] }) },
      dest: { root: 'bak/d', state: state({ 'bak/d': [] }, { 'bak/d': { referenced: '4096' } }) },
      excludes: [],
      nowMs: NOW,
    });
    expect(rows2[0]).toMatchObject({
      state: 'conflict',
      conflicts: [
        { kind: 'target-exists', names: [], text: 'the target exists but has no snapshots: send will not overwrite it (--force does)' },
      ],
    });
  });
});

describe('cleanup plan', () => {
  const names = ['2020-01-01 01:00', '2020-01-01 02:00', '2020-01-01 03:00', '2020-01-01 04:00'].map((t) => sn(t, 'hourly'));
  const snaps = (list: readonly string[]) => list.map((n, i) => [n, `g${names.indexOf(n.replace(/!$/, '')) + 1 || i + 100}`, T] as const);
  const plan = (src: readonly string[], dests: Record<string, readonly string[] | undefined>, keep = 1) =>
    planCleanup({
      source: { root: 'tank/d', state: state({ 'tank/d': snaps(src) }) },
      dests: Object.entries(dests).map(([label, list]) => ({
        label,
        root: label,
        excludes: [],
        ...(list ? { state: state({ [label]: snaps(list) }) } : { problem: `${label} could not be listed` }),
      })),
      keep,
      policyOf: () => policy({ counts: { hourly: 24 } }),
      caps: { commaDestroy: false },
    });
  const doomed = (p: ReturnType<typeof plan>) => p.batches.flatMap((b) => b.snapNames.map((n) => n.slice(20, 25)));

  it('destroys what every destination holds, beyond the newest keep of those', () => {
    expect(doomed(plan(names, { a: names, b: names }))).toEqual(['01:00', '02:00', '03:00']);
    expect(doomed(plan(names, { a: names, b: names }, 3))).toEqual(['01:00']);
  });
  it('never destroys a snapshot absent on one destination', () => {
    const p = plan(names, { a: names, b: [names[0]!, names[2]!, names[3]!] });
    expect(doomed(p)).toEqual(['01:00', '03:00']);
    expect(p.datasets[0]!.verdicts.find((v) => v.item.name === names[1])!.reasons).toEqual(['not on b']);
  });
  it('never destroys a held snapshot, a base, or anything when a destination cannot be listed', () => {
    const held = [names[0]!, `${names[1]!}!`, names[2]!, names[3]!];
    expect(doomed(plan(held, { a: names }))).toEqual(['01:00', '03:00']);
    expect(doomed(plan(names, { a: names, b: undefined }))).toEqual([]);
    expect(doomed(plan(names, {}))).toEqual([]);
  });
  it('never destroys a snapshot whose guid differs on a destination', () => {
    const p = planCleanup({
      source: {
        root: 't',
        state: state({
          t: [
            [names[0]!, 'g1', T],
            [names[1]!, 'g2', T],
            [names[2]!, 'g3', T],
          ],
        }),
      },
      dests: [
        {
          label: 'a',
          root: 'a',
          excludes: [],
          state: state({
            a: [
              [names[0]!, 'DIFFERENT', T],
              [names[1]!, 'g2', T],
              [names[2]!, 'g3', T],
            ],
          }),
        },
      ],
      keep: 1,
      policyOf: () => policy({ counts: { hourly: 24 } }),
      caps: { commaDestroy: true },
    });
    expect(p.batches.map((b) => b.snapNames)).toEqual([[names[1]]]);
  });
});
