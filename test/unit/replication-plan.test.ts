import { describe, expect, it } from 'vitest';
import {
  type PairInput,
  type PairPlan,
  type ResumeInfo,
  type SnapRef,
  conflictLines,
  incrementalChain,
  planPair,
  snapshotSelector,
} from '../../src/domain/replication/index.js';
import { LOCAL } from '../../src/domain/endpoint.js';
import { zfsArgv } from '../../src/adapters/zfs/commands.js';
import type { Command, Conflict } from '../../src/domain/replication/types.js';
import { policy, sn } from '../support/state.js';

// A conflict with each command as the argv it runs: the adapter's, which printing uses too.
function withArgv(c: Conflict) {
  const a = (x: Command) => ({ endpoint: x.endpoint, argv: zfsArgv(x.zfs) });
  return { ...c, resolve: c.resolve.map(a), ...('keepCopy' in c ? { keepCopy: c.keepCopy.map(a) } : {}) };
}

// Source snapshots get guid "g<name>"; "name~" on the destination means same name, other guid.
function snaps(names: readonly string[], start = 1): SnapRef[] {
  return names.map((n, i) => {
    const other = n.endsWith('~');
    const name = other ? n.slice(0, -1) : n;
    return { name, guid: other ? `x${name}` : `g${name}`, createtxg: start + i, userrefs: 0 };
  });
}

function plan(
  src: string[],
  dst: string[] | undefined,
  o: Partial<PairInput['options']> & { resume?: ResumeInfo; referenced?: number; createdThisRun?: boolean } = {},
): PairPlan {
  return planPair({
    source: { endpoint: LOCAL, dataset: 'tank/a', snapshots: snaps(src) },
    dest: {
      endpoint: LOCAL,
      dataset: 'bk/a',
      exists: dst !== undefined,
      snapshots: snaps(dst ?? [], 100),
      ...(dst?.length === 0 ? { holds: { referenced: o.referenced ?? 0, children: 0 } } : {}),
      ...(o.createdThisRun ? { createdThisRun: true } : {}),
      ...(o.resume ? { resume: o.resume } : {}),
    },
    options: { initial: o.initial ?? 'oldest', selected: o.selected ?? (() => true), force: o.force ?? false },
  });
}

// A compact view of the steps: "full s1", "-I s1 s3", "destroy s4", …
const view = (p: PairPlan): string[] =>
  p.steps.map((s) => {
    switch (s.kind) {
      case 'full':
        return `full ${s.snapshot}${s.force ? ' -F' : ''}`;
      case 'incremental':
        return `${s.flag} ${s.from} ${s.to}`;
      case 'resume':
        return `resume ${s.to}`;
      case 'abort-resume':
        return 'abort';
      case 'destroy-dest':
        return `destroy ${s.snapshots.join(',')}`;
      case 'create-parent':
        return `create ${s.dataset}`;
    }
  });

describe('planPair', () => {
  it.each<[string, string[], string[] | undefined, Parameters<typeof plan>[2], string, string[], string | undefined]>([
    ['first send: oldest in full, then -I to the newest', ['s1', 's2', 's3'], undefined, {}, 'send', ['full s1', '-I s1 s3'], 's3'],
    ['first send, initial = newest', ['s1', 's2', 's3'], undefined, { initial: 'newest' }, 'send', ['full s3'], 's3'],
    ['a single snapshot', ['s1'], undefined, {}, 'send', ['full s1'], 's1'],
    ['missing destination: the full receive creates it, no -F', ['s1', 's2'], undefined, {}, 'send', ['full s1', '-I s1 s2'], 's2'],
    ['existing destination without snapshots, even an empty one: conflict', ['s1', 's2'], [], {}, 'conflict', [], undefined],
    [
      'existing destination without snapshots, forced: full with -F',
      ['s1', 's2'],
      [],
      { force: true },
      'send',
      ['full s1 -F', '-I s1 s2'],
      's2',
    ],
    [
      "a destination this run's receive created (a retry): full with -F",
      ['s1'],
      [],
      { createdThisRun: true },
      'send',
      ['full s1 -F'],
      's1',
    ],
    ['incremental from the common base', ['s1', 's2', 's3', 's4'], ['s1', 's2'], {}, 'send', ['-I s2 s4'], 's4'],
    ['up to date', ['s1', 's2'], ['s1', 's2'], {}, 'up-to-date', [], 's2'],
    ['destination-only snapshots older than the base survive', ['s2', 's3'], ['s0', 's1', 's2'], {}, 'send', ['-I s2 s3'], 's3'],
    ['base deleted on the source: an older common one', ['s1', 's3'], ['s1'], {}, 'send', ['-I s1 s3'], 's3'],
    ['destination ahead: conflict', ['s1', 's2'], ['s1', 's2', 'x1'], {}, 'conflict', [], undefined],
    [
      'destination ahead, forced: destroyed by name, then -I',
      ['s1', 's2', 's3'],
      ['s1', 'x1'],
      { force: true },
      'send',
      ['destroy x1', '-I s1 s3'],
      's3',
    ],
    ['destination ahead, forced, nothing to send', ['s1'], ['s1', 'x1'], { force: true }, 'send', ['destroy x1'], 's1'],
    ['no common snapshot: conflict', ['s1', 's2'], ['x1'], {}, 'conflict', [], undefined],
    ['same name, other guid is not a base', ['s1', 's2'], ['s1~'], {}, 'conflict', [], undefined],
    ['guid mismatch on the newest, an older true base', ['s1', 's2', 's3'], ['s1', 's2~'], {}, 'conflict', [], undefined],
    [
      'no common, forced: destroy then full',
      ['s1', 's2'],
      ['x1', 'x2'],
      { force: true },
      'send',
      ['destroy x1,x2', 'full s1 -F', '-I s1 s2'],
      's2',
    ],
    ['no snapshots on the source', [], undefined, {}, 'skip', [], undefined],
    ...[1, 100 << 10, 2 << 20, 50 << 20].map((b): [string, string[], string[], Parameters<typeof plan>[2], string, string[], undefined] => [
      `destination without snapshots holding ${b} B: conflict`,
      ['s1'],
      [],
      { referenced: b },
      'conflict',
      [],
      undefined,
    ]),
    ['snapshot-less destination with data, forced', ['s1'], [], { referenced: 50 << 20, force: true }, 'send', ['full s1 -F'], 's1'],
  ])('%s', (_, src, dst, o, outcome, steps, newBase) => {
    const p = plan(src, dst, o);
    expect(p.outcome).toBe(outcome);
    expect(view(p)).toEqual(steps);
    expect(p.newBase).toBe(newBase);
  });

  it('names the base and the destination-only snapshots in a dest-ahead conflict, with the commands', () => {
    const p = plan(['s1', 's2'], ['s1', 'x1', 'x2']);
    expect(p.conflict?.kind).toBe('dest-ahead');
    if (p.conflict?.kind !== 'dest-ahead') return;
    expect(p.conflict.base).toBe('s1');
    expect(p.conflict.destOnly.map((s) => s.name)).toEqual(['x1', 'x2']);
    expect(withArgv(p.conflict).resolve.map((c) => c.argv)).toEqual([
      ['zfs', 'destroy', 'bk/a@x1'],
      ['zfs', 'destroy', 'bk/a@x2'],
    ]);
  });

  it('reports guid mismatches in a no-common conflict', () => {
    const p = plan(['s1', 's2'], ['s1~', 's2~']);
    expect(p.conflict?.kind).toBe('no-common');
    if (p.conflict?.kind === 'no-common') expect(p.conflict.guidMismatches).toEqual(['s1', 's2']);
  });

  it('resumes a valid partial receive, then continues from its snapshot', () => {
    const p = plan(['s1', 's2', 's3'], ['s1'], { resume: { token: 'T', state: 'valid', to: 's2' } });
    expect(view(p)).toEqual(['resume s2', '-I s2 s3']);
    expect(p.newBase).toBe('s3');
  });

  it('resumes a partial first receive', () => {
    const p = plan(['s1', 's2'], [], { resume: { token: 'T', state: 'valid', to: 's1' }, referenced: 80 << 20 });
    expect(view(p)).toEqual(['resume s1', '-I s1 s2']);
  });

  it('aborts a stale token, then plans as usual', () => {
    const p = plan(['s1', 's3'], ['s1'], { resume: { token: 'T', state: 'stale', to: 's2' } });
    expect(view(p)).toEqual(['abort', '-I s1 s3']);
  });

  it('aborts a stale partial first receive, then plans the full receive without -F (the executor looks again after the abort)', () => {
    const p = plan(['s1'], [], { resume: { token: 'T', state: 'stale' }, referenced: 80 << 20 });
    expect(view(p)).toEqual(['abort', 'full s1']);
  });

  it('refuses a partial receive from another source, or one it cannot trace', () => {
    const p = plan(['s1'], ['s1'], { resume: { token: 'T', state: 'foreign', tokenFor: 'other/x@y' } });
    expect(p.conflict?.kind).toBe('foreign-resume');
    const q = plan(['s1'], [], { resume: { token: 'T', state: 'foreign' } });
    expect(withArgv(q.conflict!)).toMatchObject({ kind: 'foreign-resume', resolve: [{ argv: ['zfs', 'receive', '-A', 'bk/a'] }] });
    expect(q.conflict).not.toHaveProperty('tokenFor');
  });

  it('a destination without snapshots: the report says what it holds and gives the commands; --force says what it does', () => {
    const p = planPair({
      source: { endpoint: LOCAL, dataset: 'tank/a', snapshots: snaps(['s1']) },
      dest: {
        endpoint: LOCAL,
        dataset: 'bk/a',
        exists: true,
        snapshots: [],
        holds: { referenced: 102_400, used: 3 << 20, children: 2, mounted: '/bk/a' },
      },
      options: { initial: 'oldest', selected: () => true, force: false },
    });
    expect(p.conflict).toMatchObject({ kind: 'dest-exists', holds: { children: 2 } });
    const lines = conflictLines(
      p.conflict!,
      (c) => zfsArgv(c.zfs).join(' '),
      (_e, ds) => ds,
    );
    expect(lines).toEqual([
      'conflict: bk/a exists but has no snapshots: holdfast did not create it, and a full send from tank/a would overwrite what it holds',
      '  it holds: 100K referenced, 3.00M used, 2 child datasets, mounted at /bk/a',
      '  source tank/a: @s1',
      '  nothing was changed. To keep what it holds, move it aside (the next send creates bk/a afresh):',
      '    zfs rename bk/a bk/a-conflict',
      '  or, if nothing in it or below it is needed, destroy it:',
      '    zfs destroy -r bk/a',
      '  then send again; or send with --force (force = yes) to overwrite it',
    ]);
    const mounted = planPair({
      source: { endpoint: LOCAL, dataset: 'tank/a', snapshots: snaps(['s1']) },
      dest: { endpoint: LOCAL, dataset: 'bk/a', exists: true, snapshots: [], holds: { children: 0, mounted: '/srv/a' } },
      options: { initial: 'oldest', selected: () => true, force: false },
    });
    // zfs-fuse renames no mounted file system: unmount, rename, mount it again where it was
    expect(withArgv(mounted.conflict!)).toMatchObject({
      keepCopy: [
        { argv: ['zfs', 'unmount', 'bk/a'] },
        { argv: ['zfs', 'rename', 'bk/a', 'bk/a-conflict'] },
        { argv: ['zfs', 'mount', 'bk/a-conflict'] },
      ],
      resolve: [{ argv: ['zfs', 'destroy', 'bk/a'] }],
    });
    const forced = plan(['s1'], [], { force: true });
    expect(forced.notes).toEqual(['--force: it exists without snapshots; a full receive overwrites it']);
  });

  it('the top dataset of a pool cannot be moved aside: only --force or another destination', () => {
    const p = planPair({
      source: { endpoint: LOCAL, dataset: 'tank/a', snapshots: snaps(['s1']) },
      dest: { endpoint: LOCAL, dataset: 'bk', exists: true, snapshots: [], holds: { children: 0, mounted: '' } },
      options: { initial: 'oldest', selected: () => true, force: false },
    });
    const lines = conflictLines(
      p.conflict!,
      (c) => zfsArgv(c.zfs).join(' '),
      (_e, ds) => ds,
    );
    expect(lines[1]).toBe('  it holds: ? referenced, ? used, no child datasets, not mounted');
    expect(lines.slice(3)).toEqual([
      '  nothing was changed. The top dataset of a pool cannot be moved aside: send to a dataset below it, or send with --force (force = yes) to overwrite it',
    ]);
  });
});

describe('send_types = kept', () => {
  const f = sn('2020-01-01 10:15', 'frequent');
  const h1 = sn('2020-01-01 10:00', 'hourly');
  const h2 = sn('2020-01-01 11:00', 'hourly');
  const d1 = sn('2020-01-02 00:00', 'daily');
  const dest = policy({ counts: { hourly: 24, daily: 7, frequent: 0 } });
  const sel = snapshotSelector('kept', dest);

  it('selects managed snapshots of kept types only', () => {
    expect(snaps([f, h1, d1, 'manual']).map(sel)).toEqual([false, true, true, false]);
    expect(snapshotSelector('all', dest)({ name: 'manual', guid: '', createtxg: 1, userrefs: 0 })).toBe(true);
    expect(snapshotSelector('kept', undefined)({ name: 'manual', guid: '', createtxg: 1, userrefs: 0 })).toBe(true);
  });

  it('keeps guarded types (a misspelt count keeps everything)', () => {
    const s = snapshotSelector('kept', policy({ counts: {}, guardedTypes: new Map([['frequent', 'typo']]) }));
    expect(s(snaps([f])[0]!)).toBe(true);
  });

  it('skips unselected snapshots with -i and groups runs with -I', () => {
    const p = plan([h1, f, h2, d1, f.replace('10:15', '11:15')], [h1], { selected: sel });
    expect(view(p)).toEqual([`-i ${h1} ${h2}`, `-I ${h2} ${d1}`]);
    expect(p.newBase).toBe(d1);
  });

  it('first send starts at the oldest selected snapshot', () => {
    const p = plan([f, h1, h2], undefined, { selected: sel });
    expect(view(p)).toEqual([`full ${h1}`, `-I ${h1} ${h2}`]);
  });

  it('nothing to send when only unselected snapshots are new', () => {
    const p = plan([h1, f], [h1], { selected: sel });
    expect(p.outcome).toBe('up-to-date');
  });
});

describe('incrementalChain', () => {
  it.each<[string, string, string[]]>([
    ['all selected', 'ABCD', ['-I A D']],
    ['gap in the middle', 'AbCD', ['-i A C', '-I C D']],
    ['gap at the end', 'ABcd', ['-I A B']],
    ['gap at the start', 'AbcD', ['-i A D']],
    ['alternating', 'AbCdE', ['-i A C', '-i C E']],
    ['nothing new', 'A', []],
  ])('%s (%s: capitals are selected)', (_, seq, want) => {
    const all = [...seq].map((c, i) => ({ name: c.toUpperCase(), guid: c, createtxg: i, userrefs: 0 }));
    const selected = new Set([...seq].filter((c) => c === c.toUpperCase()).map((c) => c));
    const steps = incrementalChain(all.slice(1), all[0]!.name, (s) => selected.has(s.guid));
    expect(steps.map((s) => (s.kind === 'incremental' ? `${s.flag} ${s.from} ${s.to}` : s.kind))).toEqual(want);
  });
});
