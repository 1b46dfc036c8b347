import { describe, expect, it } from 'vitest';
import { analyzeChains } from '../../src/domain/store/chain.js';
import { parseFullEvery } from '../../src/domain/store/full-every.js';
import type { Manifest } from '../../src/domain/store/manifest.js';
import { type UploadInput, planUploads } from '../../src/domain/store/plan-upload.js';
import { planStorePrune } from '../../src/domain/store/retention.js';
import { type SourceSnap, storeSelector } from '../../src/domain/store/select.js';
import { policy, sn } from '../support/state.js';
import { fakeManifest } from './store-fixtures.js';

const src = (names: string[]): SourceSnap[] =>
  names.map((name, i) => ({
    name,
    guid: String(1001 + i),
    createtxg: i + 1,
    createdMs: Date.parse('2026-01-01T00:00:00Z') + (i + 1) * 3600_000,
    userrefs: 0,
  }));
const storedOf = (ms: Manifest[]) => new Map(ms.map((m) => [m.snapshot, m]));
const input = (source: SourceSnap[], stored: Manifest[], o: Partial<UploadInput> = {}): UploadInput => {
  const byName = storedOf(stored);
  const objects = new Map(stored.map((m) => [m.object.key, { bytes: m.object.bytes }]));
  return { dataset: 'tank/a', source, stored: byName, chains: analyzeChains(byName, objects), select: () => true, ...o };
};
const steps = (p: ReturnType<typeof planUploads>) =>
  p.steps.map((s) => (s.kind === 'full' ? `full ${s.to.name}` : `${s.from.name}>${s.to.name}`));

describe('planning uploads', () => {
  it('a new store without counts: one full of the newest, then one incremental per snapshot', () => {
    const s = src(['s1', 's2', 's3']);
    expect(steps(planUploads(input(s, [])))).toEqual(['full s3']);
    const stored = [fakeManifest('tank/a', 's1', 1)];
    expect(steps(planUploads(input(s, stored)))).toEqual(['s1>s2', 's2>s3']);
    expect(planUploads(input(s, stored))).toMatchObject({ base: 's1', newest: 's3' });
  });

  it('with counts: the first run starts at the oldest snapshot the counts keep, and only kept types go up', () => {
    const names = [
      sn('2026-01-01 00:00', 'daily'),
      sn('2026-01-01 01:00', 'hourly'),
      sn('2026-01-02 00:00', 'daily'),
      sn('2026-01-02 01:00', 'hourly'),
      sn('2026-01-03 00:00', 'daily'),
    ];
    const p = policy({ counts: { daily: 2 } });
    const plan = planUploads(input(src(names), [], { select: storeSelector({ policy: p }), policy: p }));
    expect(steps(plan)).toEqual([`full ${names[2]}`, `${names[2]}>${names[4]}`]);
    expect(plan.notes[0]).toContain("the oldest snapshot the store's counts keep");
  });

  it('full_every by count and by age start new chains', () => {
    const s = src(['s1', 's2', 's3', 's4', 's5']);
    const byCount = planUploads(
      input(s, [], { fullEvery: (parseFullEvery('2') as { value: never }).value, policy: policy({ counts: { hourly: 0 } }) }),
    );
    expect(steps(byCount)).toEqual(['full s5']);
    const from1 = planUploads(input(s, [fakeManifest('tank/a', 's1', 1)], { fullEvery: (parseFullEvery('2') as { value: never }).value }));
    expect(steps(from1)).toEqual(['s1>s2', 's2>s3', 'full s4', 's4>s5']);
    const byAge = planUploads(input(s, [fakeManifest('tank/a', 's1', 1)], { fullEvery: (parseFullEvery('2h') as { value: never }).value }));
    expect(steps(byAge)).toEqual(['s1>s2', 'full s3', 's3>s4', 'full s5']);
    expect(byAge.steps[1]).toMatchObject({ why: "full_every = 2h: the chain's full @s1 is older than 2h" });
  });

  it('a broken, vanished or recreated base starts a new chain, and says why', () => {
    const s = src(['s1', 's2', 's3']);
    const lost = fakeManifest('tank/a', 's2', 2, { parent: 's0', parentTxg: 0 });
    const broken = planUploads(input(s, [lost]));
    expect(steps(broken)).toEqual(['full s3']);
    expect(broken.notes[0]).toContain('has a broken chain (@s2: its parent @s0 is not stored)');
    const gone = planUploads(
      input(
        src(['s2', 's3']).map((x, i) => ({ ...x, name: ['x2', 's3'][i]! })),
        [fakeManifest('tank/a', 's1', 1)],
      ),
    );
    expect(gone.notes[0]).toContain('no longer exists on the source');
    const recreated = planUploads(
      input(
        s.map((x) => ({ ...x, guid: `9${x.guid}` })),
        [fakeManifest('tank/a', 's1', 1)],
      ),
    );
    expect(recreated.notes[0]).toContain('the dataset was recreated');
    expect(steps(recreated)).toEqual(['full s2', 's2>s3']);
  });

  it("z3's --full and --snapshot", () => {
    const s = src(['s1', 's2', 's3']);
    const stored = [fakeManifest('tank/a', 's1', 1)];
    expect(steps(planUploads(input(s, stored, { upTo: 's2' })))).toEqual(['s1>s2']);
    expect(steps(planUploads(input(s, stored, { forceFull: true })))).toEqual(['full s3']);
    expect(steps(planUploads(input(s, stored, { forceFull: true, upTo: 's2' })))).toEqual(['full s2']);
    expect(planUploads(input(s, stored, { forceFull: true, upTo: 's1' })).outcome).toBe('up-to-date');
    expect(planUploads(input(s, stored, { upTo: 'nope' }))).toMatchObject({
      outcome: 'problem',
      problem: 'tank/a@nope does not exist on the source',
    });
    expect(planUploads(input(s, stored, { upTo: 's1' })).outcome).toBe('up-to-date');
  });

  it('a prefix filter leaves other snapshots out', () => {
    const sel = storeSelector({ snapshotPrefix: 'zfs-auto-snap_daily' });
    expect(sel({ name: 'zfs-auto-snap_daily-2026-01-01' })).toBe(true);
    expect(sel({ name: 'manual' })).toBe(false);
  });
});

// The source moved to another pool (zfs send -R, or a restore): guids and creation times came
// along, createtxg started again from small numbers.
describe('after the source moved to another pool', () => {
  const oldPool = (m: Manifest, txg: number): Manifest => ({ ...m, createtxg: txg });

  it('the newest stored snapshot is found by creation time, so nothing already stored goes up again', () => {
    const s = src(['s1', 's2', 's3', 's4', 's5', 's6', 's7']);
    const stored = [
      oldPool(fakeManifest('tank/a', 's1', 1), 901),
      ...['s2', 's3', 's4', 's5'].map((n, i) => oldPool(fakeManifest('tank/a', n, i + 2, { parent: `s${i + 1}` }), 902 + i)),
      fakeManifest('tank/a', 's6', 6, { parent: 's5' }), // uploaded after the move: the new pool's txg
    ];
    const plan = planUploads(input(s, stored));
    expect(steps(plan)).toEqual(['s6>s7']);
    expect(plan).toMatchObject({ base: 's6', newest: 's7' });
  });

  it("store retention keeps the newest by creation time, not the old pool's larger txgs", () => {
    const d = (day: number) => sn(`2026-01-0${day} 00:00`, 'daily');
    const at = (m: Manifest, day: number, txg: number): Manifest => ({ ...m, createtxg: txg, created: `2026-01-0${day}T00:00:00.000Z` });
    const stored = [
      at(fakeManifest('tank/a', d(1), 1), 1, 901), // chain A, on the old pool
      ...[2, 3, 4].map((day) => at(fakeManifest('tank/a', d(day), day, { parent: d(day - 1) }), day, 900 + day)),
      at(fakeManifest('tank/a', d(5), 5), 5, 5), // chain B, a new full on the new pool
      at(fakeManifest('tank/a', d(6), 6, { parent: d(5) }), 6, 6),
    ];
    const byName = storedOf(stored);
    const objects = new Map(stored.map((m) => [m.object.key, { bytes: m.object.bytes }]));
    const plan = planStorePrune({
      dataset: 'tank/a',
      stored: byName,
      chains: analyzeChains(byName, objects),
      unreadable: new Set(),
      streams: new Map(),
      policy: policy({ counts: { daily: 2 } }),
      nowMs: Date.parse('2026-01-07T00:00:00Z'),
      orphanGraceMs: 3600_000,
    });
    expect(plan.verdicts.filter((v) => v.keep).map((v) => v.snapshot)).toEqual([d(5), d(6)]);
    expect(plan.verdicts.filter((v) => !v.keep).map((v) => v.snapshot)).toEqual([d(1), d(2), d(3), d(4)]);
  });
});
