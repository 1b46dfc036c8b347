import { describe, expect, it } from 'vitest';
import { type HoldSide, type Pin, pinBases } from '../../src/app/send/holds.js';
import type { ReplicationOps } from '../../src/app/send/ports.js';
import { LEGACY } from '../../src/adapters/zfs/capabilities.js';
import { zfsArgv } from '../../src/adapters/zfs/commands.js';
import { printable } from '../../src/adapters/exec/printable.js';
import type { ZfsCommand, ZfsHoldCommand } from '../../src/domain/zfs-command.js';
import type { PairPlan } from '../../src/domain/replication/types.js';
import { hostState } from '../support/state.js';

const plan = (source: string, dest: string): PairPlan => ({ source, dest, outcome: 'send', steps: [], notes: [] });

function side(spec: Record<string, string[]>, openzfs = false, tags: Record<string, string[]> = {}) {
  const calls: string[] = [];
  const ops = {
    print: (c: ZfsCommand) => printable({ kind: 'local' }, zfsArgv(c)),
    batch: async (c: ZfsHoldCommand) => (calls.push(`${c.op} ${c.tag} ${c.snapshots.join(' ')}`), { ok: c.snapshots, failed: [] }),
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
    const r = await pinBases(s, 'T', pins, false);
    expect(calls).toEqual(['hold T tank/a@s2 tank/a/b@s2', 'release T tank/a@s1 tank/a/b@s1']);
    expect(r.commands).toEqual(calls.map((c) => `zfs ${c}`));
  });

  it('does nothing for an unchanged, held base', async () => {
    const { s, calls } = side({ 'tank/a': ['s1', 's2!'] });
    await pinBases(s, 'T', [{ plan: plan('tank/a', 'bk/a'), base: 's2', changed: false }], false);
    expect(calls).toEqual([]);
  });

  it('holds an unchanged base that is not held yet (the first run after pyznap)', async () => {
    const { s, calls } = side({ 'tank/a': ['s1', 's2'] });
    await pinBases(s, 'T', [{ plan: plan('tank/a', 'bk/a'), base: 's2', changed: false }], false);
    expect(calls).toEqual(['hold T tank/a@s2']);
  });

  it('on OpenZFS releases only what carries our tag (zfs holds)', async () => {
    const { s, calls } = side({ 'tank/a': ['s0!', 's1!', 's2'] }, true, { 'tank/a@s1': ['T'], 'tank/a@s0': ['someone-else'] });
    await pinBases(s, 'T', [{ plan: plan('tank/a', 'bk/a'), base: 's2', changed: true }], false);
    expect(calls).toEqual(['hold T tank/a@s2', 'release T tank/a@s1']);
  });

  it('prints, and runs nothing, in a dry run', async () => {
    const { s, calls } = side({ 'tank/a': ['s1!', 's2'] });
    const r = await pinBases(s, 'T', [{ plan: plan('tank/a', 'bk/a'), base: 's2', changed: true }], true);
    expect(calls).toEqual([]);
    expect(r.commands).toEqual(['zfs hold T tank/a@s2', 'zfs release T tank/a@s1']);
  });
});
