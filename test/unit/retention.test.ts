import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planClean } from '../../src/domain/snap/clean.js';
import { SNAP_TYPES } from '../../src/domain/snap-types.js';
import { parseSnapshotName } from '../../src/domain/snapshot-name.js';
import { hostState, policy, sn } from '../support/state.js';

const caps = { commaDestroy: false };
const verdictsOf = (plan: ReturnType<typeof planClean>, ds = 'tank') =>
  Object.fromEntries(plan.datasets.find((d) => d.dataset === ds)!.verdicts.map((v) => [v.item.name, v]));

describe('retention: keep the newest N of each type (pyznap-spec §8)', () => {
  it("follows pyznap's worked example, except that sanoid's and unparsable names stay", () => {
    const names = [
      sn('2020-01-01 09:00', 'hourly', 'pyznap'),
      sn('2020-01-01 10:00', 'hourly', 'pyznap'),
      sn('2020-01-01 11:00', 'hourly', 'autosnap'),
      sn('2020-01-01 12:00', 'hourly', 'pyznap'),
      'pyznap_manual_hourly',
      sn('2020-01-01 00:00', 'daily', 'pyznap'),
      sn('2020-01-01 00:00', 'weekly', 'pyznap'),
      'autosnap_2020-01-01_00:00:00_frequently',
      'before-upgrade',
    ];
    const state = hostState({ tank: names });
    const plan = planClean(state, new Map([['tank', policy({ counts: { hourly: 3, daily: 2 }, prefix: 'pyznap' })]]), new Map(), caps);
    const v = verdictsOf(plan);
    // Only pyznap_ names with a parsable time are managed (no adopt = autosnap here).
    expect(Object.keys(v).sort()).toEqual([names[0], names[1], names[3], names[5], names[6]].sort());
    expect(v[names[3]!]!.reasons).toEqual(['hourly 1 of 3']);
    expect(v[names[1]!]!.reasons).toEqual(['hourly 2 of 3']);
    expect(v[names[0]!]!.reasons).toEqual(['hourly 3 of 3']);
    expect(v[names[5]!]!.keep).toBe(true);
    expect(v[names[6]!]!).toMatchObject({ keep: false, reasons: ['weekly count is not set: keep none (as pyznap)'] });
  });

  it('counts adopted prefixes together with its own', () => {
    const names = [
      sn('2020-01-01 09:00', 'hourly', 'autosnap'),
      sn('2020-01-01 10:00', 'hourly', 'pyznap'),
      sn('2020-01-01 11:00', 'hourly'),
    ];
    const plan = planClean(
      hostState({ tank: names }),
      new Map([['tank', policy({ counts: { hourly: 2 }, adopt: ['pyznap', 'autosnap'] })]]),
      new Map(),
      caps,
    );
    const v = verdictsOf(plan);
    expect(v[names[0]!]!.keep).toBe(false);
    expect(v[names[1]!]!.keep && v[names[2]!]!.keep).toBe(true);
  });

  it('never destroys a held snapshot, and says why it stays', () => {
    const names = [sn('2020-01-01 09:00', 'hourly'), sn('2020-01-01 10:00', 'hourly')];
    const plan = planClean(
      hostState({ tank: [`${names[0]}!`, names[1]!] }),
      new Map([['tank', policy({ counts: { hourly: 0 } })]]),
      new Map(),
      caps,
    );
    const v = verdictsOf(plan);
    expect(v[names[0]!]).toMatchObject({ keep: true, reasons: ['held (1 hold)'] });
    expect(v[names[1]!]!.keep).toBe(false);
  });

  it('never destroys a snapshot named as a replication base', () => {
    const base = sn('2020-01-01 09:00', 'hourly');
    const protections = new Map([['tank', new Map([[base, 'incremental base for backup/tank']])]]);
    const plan = planClean(
      hostState({ tank: [base, sn('2020-01-01 10:00', 'hourly')] }),
      new Map([['tank', policy({ counts: { hourly: 1 } })]]),
      protections,
      caps,
    );
    expect(verdictsOf(plan)[base]).toMatchObject({ keep: true, reasons: ['incremental base for backup/tank'] });
  });

  it('keeps every snapshot of a guarded type (a misspelt count)', () => {
    const names = [sn('2020-01-01 09:00', 'hourly'), sn('2020-01-01 10:00', 'hourly')];
    const guardedTypes = new Map([['hourly' as const, '"hourley" looks like a misspelt hourly']]);
    const plan = planClean(hostState({ tank: names }), new Map([['tank', policy({ guardedTypes })]]), new Map(), caps);
    expect(plan.batches).toEqual([]);
  });
});

// Property tests: the invariants hold for any mix of snapshots, counts, holds and bases.
describe('retention invariants (property tests)', () => {
  const arb = fc.record({
    snaps: fc.array(fc.record({ type: fc.constantFrom(...SNAP_TYPES), held: fc.boolean(), base: fc.boolean(), foreign: fc.boolean() }), {
      maxLength: 60,
    }),
    counts: fc.record(Object.fromEntries(SNAP_TYPES.map((t) => [t, fc.option(fc.nat(8), { nil: undefined })]))),
  });

  it('holds: kept = newest N per type ∪ held ∪ bases; foreign names are never candidates', () => {
    fc.assert(
      fc.property(arb, ({ snaps, counts }) => {
        const names = snaps.map((s, i) => {
          const minute = String(i % 60).padStart(2, '0');
          const hour = String(Math.floor(i / 60)).padStart(2, '0');
          const n = s.foreign ? `other_2020-01-01_${hour}:${minute}:00_${s.type}` : sn(`2020-01-01 ${hour}:${minute}`, s.type);
          return s.held ? `${n}!` : n;
        });
        const bases = new Map(snaps.flatMap((s, i) => (s.base ? [[names[i]!.replace(/!$/, ''), 'base']] : [])) as [string, string][]);
        const plan = planClean(hostState({ tank: names }), new Map([['tank', policy({ counts })]]), new Map([['tank', bases]]), caps);
        const v = plan.datasets[0]!.verdicts;
        for (const x of v) {
          expect(x.item.name.startsWith('other_')).toBe(false);
          if (x.item.userrefs > 0 || bases.has(x.item.name)) expect(x.keep).toBe(true);
        }
        for (const type of SNAP_TYPES) {
          const ofType = v.filter((x) => x.item.parsed.type === type).sort((a, b) => b.item.createtxg - a.item.createtxg);
          const n = Math.max(0, counts[type] ?? 0);
          ofType.slice(0, n).forEach((x) => expect(x.keep).toBe(true));
          ofType.slice(n).forEach((x) => expect(x.keep).toBe(x.item.userrefs > 0 || bases.has(x.item.name)));
        }
        // Destroy batches cover exactly the destroyed verdicts.
        const destroyed = plan.batches.flatMap((b) => b.covers.map((c) => c.name)).sort();
        expect(destroyed).toEqual(
          v
            .filter((x) => !x.keep)
            .map((x) => x.item.name)
            .sort(),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('is idempotent: cleaning what a clean left destroys nothing', () => {
    fc.assert(
      fc.property(arb, ({ snaps, counts }) => {
        const names = snaps.map((s, i) =>
          sn(`2020-01-01 ${String(Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}`, s.type),
        );
        const pol = new Map([['tank', policy({ counts })]]);
        const first = planClean(hostState({ tank: names }), pol, new Map(), caps);
        const left = first.datasets[0]!.verdicts.filter((x) => x.keep).map((x) => x.item.name);
        const ordered = names.filter((n) => left.includes(n));
        const second = planClean(hostState({ tank: ordered }), pol, new Map(), caps);
        expect(second.batches).toEqual([]);
        expect(ordered.every((n) => parseSnapshotName(n))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});
