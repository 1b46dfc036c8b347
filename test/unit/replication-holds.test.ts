import { describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/app/context.js';
import { type HoldSide, type Pin, pinBases } from '../../src/app/send/holds.js';
import type { ReplicationOps } from '../../src/app/send/ports.js';
import { LEGACY } from '../../src/adapters/zfs/capabilities.js';
import type { PairPlan } from '../../src/domain/replication/types.js';
import { hostState } from '../support/state.js';

const ctx = { printable: (_e: unknown, argv: readonly string[]) => argv.join(' ') } as unknown as AppContext;
const plan = (source: string, dest: string): PairPlan => ({ source, dest, outcome: 'send', steps: [], notes: [] });

function side(spec: Record<string, string[]>, openzfs = false, tags: Record<string, string[]> = {}) {
  const calls: string[] = [];
  const ops = {
    hold: async (tag: string, s: readonly string[]) => (calls.push(`hold ${tag} ${s.join(' ')}`), { ok: s, failed: [] }),
    release: async (tag: string, s: readonly string[]) => (calls.push(`release ${tag} ${s.join(' ')}`), { ok: s, failed: [] }),
  } as unknown as ReplicationOps;
  const s: HoldSide = {
    endpoint: { kind: 'local' },
    state: hostState(spec),
    caps: openzfs ? { ...LEGACY, flavor: 'openzfs', holdsList: true } : LEGACY,
    ops,
    tags: async (snaps) => new Map(snaps.map((x) => [x, tags[x] ?? []])),
    datasetOf: (p) => p.source,
  };
  return { s, calls };
}

describe('pinning the bases', () => {
  it('holds every new base in one call, then releases the previous ones in one call', async () => {
    const { s, calls } = side({ 'tank/a': ['s1!', 's2'], 'tank/a/b': ['s1!', 's2'] });
    const pins: Pin[] = [
      { plan: plan('tank/a', 'bk/a'), base: 's2', changed: true },
      { plan: plan('tank/a/b', 'bk/a/b'), base: 's2', changed: true },
    ];
    const r = await pinBases(ctx, s, 'T', pins, false);
    expect(calls).toEqual(['hold T tank/a@s2 tank/a/b@s2', 'release T tank/a@s1 tank/a/b@s1']);
    expect(r.commands).toEqual(calls.map((c) => `zfs ${c}`));
  });

  it('does nothing for an unchanged, held base', async () => {
    const { s, calls } = side({ 'tank/a': ['s1', 's2!'] });
    await pinBases(ctx, s, 'T', [{ plan: plan('tank/a', 'bk/a'), base: 's2', changed: false }], false);
    expect(calls).toEqual([]);
  });

  it('holds an unchanged base that is not held yet (the first run after pyznap)', async () => {
    const { s, calls } = side({ 'tank/a': ['s1', 's2'] });
    await pinBases(ctx, s, 'T', [{ plan: plan('tank/a', 'bk/a'), base: 's2', changed: false }], false);
    expect(calls).toEqual(['hold T tank/a@s2']);
  });

  it('on OpenZFS releases only what carries our tag (zfs holds)', async () => {
    const { s, calls } = side({ 'tank/a': ['s0!', 's1!', 's2'] }, true, { 'tank/a@s1': ['T'], 'tank/a@s0': ['someone-else'] });
    await pinBases(ctx, s, 'T', [{ plan: plan('tank/a', 'bk/a'), base: 's2', changed: true }], false);
    expect(calls).toEqual(['hold T tank/a@s2', 'release T tank/a@s1']);
  });

  it('prints, and runs nothing, in a dry run', async () => {
    const { s, calls } = side({ 'tank/a': ['s1!', 's2'] });
    const r = await pinBases(ctx, s, 'T', [{ plan: plan('tank/a', 'bk/a'), base: 's2', changed: true }], true);
    expect(calls).toEqual([]);
    expect(r.commands).toEqual(['zfs hold T tank/a@s2', 'zfs release T tank/a@s1']);
  });
});
