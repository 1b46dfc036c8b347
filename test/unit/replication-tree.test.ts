import { describe, expect, it } from 'vitest';
import { LOCAL } from '../../src/domain/endpoint.js';
import { type DestFacts, planTree } from '../../src/domain/replication/plan-tree.js';
import type { PairPlan } from '../../src/domain/replication/types.js';
import { hostState } from '../support/state.js';

// The destination end of a tree: what exists, what is created and what is a conflict.
const SRC = hostState({ 'tank/a': ['s1', 's2'], 'tank/a/b': ['s1'] });

function tree(
  dest: Record<string, readonly string[]>,
  root: string,
  o: { autoCreate?: boolean; ancestors?: string[]; props?: Record<string, Record<string, string>>; force?: boolean } = {},
) {
  const facts: DestFacts = { ancestors: new Set(o.ancestors ?? []), props: new Map(Object.entries(o.props ?? {})) };
  return planTree({
    source: { endpoint: LOCAL, root: 'tank/a', state: SRC },
    dest: { endpoint: LOCAL, root, state: hostState(dest), facts },
    excludes: [],
    autoCreate: o.autoCreate ?? false,
    resume: new Map(),
    options: { initial: 'oldest', selected: () => true, force: o.force ?? false },
  });
}

const steps = (p: PairPlan): string[] =>
  p.steps.map((s) =>
    s.kind === 'full' ? `full ${s.snapshot}${s.force ? ' -F' : ''}` : s.kind === 'incremental' ? `${s.flag} ${s.from} ${s.to}` : s.kind,
  );

describe('planTree: a destination root that does not exist', () => {
  it('its parent exists: nothing is created, the full receives create the root and its children without -F', () => {
    const t = tree({ bk: [] }, 'bk/a', { ancestors: ['bk'] });
    expect(t.problem).toBeUndefined();
    expect(t.prelude).toEqual([]);
    expect(t.pairs.map(steps)).toEqual([['full s1', '-I s1 s2'], ['full s1']]);
  });

  it('its parent is missing: a problem naming the parent and the command, unless dest_auto_create', () => {
    expect(tree({ bk: [] }, 'bk/x/y/a', { ancestors: ['bk'] }).problem).toBe(
      'destination bk/x/y/a does not exist and neither does its parent bk/x/y; create the parent (zfs create -p bk/x/y) or set dest_auto_create = yes (--dest-auto-create)',
    );
    const t = tree({ bk: [] }, 'bk/x/y/a', { ancestors: ['bk'], autoCreate: true });
    expect(t.prelude).toEqual([{ kind: 'create-parent', dataset: 'bk/x/y' }]);
    expect(t.pairs.map(steps)).toEqual([['full s1', '-I s1 s2'], ['full s1']]);
  });

  it('dest_auto_create with the parent present creates nothing', () => {
    expect(tree({}, 'bk/x/a', { ancestors: ['bk', 'bk/x'], autoCreate: true }).prelude).toEqual([]);
  });

  it.each([
    ['a missing pool', 'nopool/x/a', false],
    ['a missing pool, with dest_auto_create', 'nopool/x/a', true],
    ['a missing pool as the destination itself', 'nopool', true],
  ])('%s is said to be a missing pool, with no zfs create hint', (_, root, autoCreate) => {
    const t = tree({}, root, { autoCreate });
    expect(t.problem).toBe('destination pool nopool does not exist; correct the destination, or import or create the pool');
    expect(t.prelude).toEqual([]);
  });
});

describe('planTree: destination datasets without snapshots', () => {
  it('the root: a conflict with what it holds (children counted); a missing child is still received beside them', () => {
    const t = tree({ 'bk/a': [], 'bk/a/x': [], 'bk/a/x/y': [] }, 'bk/a', {
      props: { 'bk/a': { referenced: '1', used: '2048', mounted: 'yes', mountpoint: '/bk/a' } },
    });
    expect(t.pairs[0]).toMatchObject({
      outcome: 'conflict',
      conflict: { kind: 'dest-exists', holds: { referenced: 1, used: 2048, children: 2, mounted: '/bk/a' } },
    });
    expect(steps(t.pairs[1]!)).toEqual(['full s1']);
  });

  it('a child without snapshots is a conflict too; forced, -F over both, each saying so', () => {
    const t = tree({ 'bk/a': [], 'bk/a/b': [] }, 'bk/a');
    expect(t.pairs.map((p) => p.conflict?.kind)).toEqual(['dest-exists', 'dest-exists']);
    expect(t.pairs[1]).toMatchObject({ conflict: { holds: { children: 0 } } });
    const f = tree({ 'bk/a': [], 'bk/a/b': [] }, 'bk/a', { force: true });
    expect(f.pairs.map(steps)).toEqual([['full s1 -F', '-I s1 s2'], ['full s1 -F']]);
    expect(f.pairs.map((p) => p.notes)).toEqual([
      ['--force: it exists without snapshots; a full receive overwrites it'],
      ['--force: it exists without snapshots; a full receive overwrites it'],
    ]);
  });
});
