import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseGetOutput } from '../../src/adapters/zfs/parse-get.js';
import type { DatasetState, HostState } from '../../src/domain/host-state.js';
import type { SnapPolicy } from '../../src/domain/policy.js';
import { type CleanPlan, type Protections, planClean } from '../../src/domain/snap/clean.js';
import { planTake } from '../../src/domain/snap/take.js';
import type { Snapshot } from '../../src/domain/snapshot.js';
import { parseSnapshotName } from '../../src/domain/snapshot-name.js';
import { SNAP_TYPES, type SnapType } from '../../src/domain/snap-types.js';
import { parseGetOutput as parseV1 } from './reference/parse-get.js';
import { planClean as cleanV1 } from './reference/snap/clean.js';
import { planTake as takeV1 } from './reference/snap/take.js';
import { parseSnapshotName as parseNameV1 } from './reference/snapshot-name.js';

// The issue-15 planner, parser and name scanner against frozen copies of the code before it
// (test/unit/reference): the same plans, every reason included, on random host states.

const DATASETS = ['p', 'p/a', 'p/a/x', 'p/a/y', 'p/a/x/deep', 'p/b', 'p/b/x', 'q', 'q/a'];
const PREFIXES = ['hf', 'other', 'hf_x', ''];
const TIMES = [
  '2020-01-01_00:00:00',
  '2020-01-01_10:15:00',
  '2020-01-06_00:00:00',
  '2020-02-01_09:00:00',
  '2019-12-31_23:59:60',
  '2020-01-01_10:15:00dst',
];
const TYPES = [...SNAP_TYPES, 'frequently', 'bogus'];

const managedName = fc
  .tuple(fc.constantFrom(...PREFIXES), fc.constantFrom(...TIMES), fc.constantFrom(...TYPES))
  .map(([p, t, ty]) => `${p}_${t}_${ty}`);
const oddName = fc.constantFrom(
  'manual',
  'hf_2020-13-01_00:00:00_daily',
  'hf_2020-01-01_24:00:00_hourly',
  'hf_2020-1-01_00:00:00_daily',
  'hf_2020-01-01_00:00:00x_daily',
  '_2020-01-01_00:00:00_daily',
  'hf__2020-01-01_00:00:00_daily',
  'a_b',
  '',
);
const snapName = fc.oneof({ weight: 4, arbitrary: managedName }, { weight: 1, arbitrary: oddName });

interface Spec {
  readonly datasets: { name: string; snaps: { name: string; txg: number; userrefs: number; tags?: string[] }[] }[];
}

const hostSpec: fc.Arbitrary<Spec> = fc
  .tuple(
    // Closed under parents, as a `zfs get -r` listing is: a listed dataset's parent is listed.
    fc
      .uniqueArray(fc.constantFrom(...DATASETS), { minLength: 1, maxLength: DATASETS.length })
      .map((ds) => [...new Set(ds.flatMap((d) => d.split('/').map((_, i, parts) => parts.slice(0, i + 1).join('/'))))]),
    fc.uniqueArray(snapName, { minLength: 0, maxLength: 14 }),
  )
  .chain(([datasets, names]) =>
    fc
      .tuple(
        ...datasets.map(() =>
          fc.subarray(names).chain((own) =>
            fc
              .tuple(
                ...own.map(() =>
                  fc.record({
                    txg: fc.integer({ min: 1, max: 40 }),
                    userrefs: fc.oneof({ weight: 5, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 2 }) }),
                    tags: fc.option(fc.array(fc.constantFrom('holdfast-send', 'other'), { maxLength: 2 }), { nil: undefined }),
                  }),
                ),
              )
              .map((recs) => own.map((name, i) => ({ name, ...recs[i]! }))),
          ),
        ),
      )
      .map((snaps) => ({ datasets: datasets.map((name, i) => ({ name, snaps: snaps[i]! })) })),
  );

function stateOf(spec: Spec): HostState {
  const datasets = new Map<string, DatasetState>();
  for (const d of spec.datasets) {
    const snapshots: Snapshot[] = d.snaps
      .map((s) => ({
        dataset: d.name,
        name: s.name,
        createtxg: s.txg,
        guid: String(s.txg * 7919),
        userrefs: s.userrefs,
        ...(s.userrefs > 0 && s.tags ? { holdTags: s.tags } : {}),
      }))
      .sort((a, b) => a.createtxg - b.createtxg);
    datasets.set(d.name, { name: d.name, type: 'filesystem', snapshots, props: {} });
  }
  return { datasets, missing: [] };
}

const count = fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined });
const policyArb: fc.Arbitrary<SnapPolicy> = fc
  .record({
    counts: fc.record(Object.fromEntries(SNAP_TYPES.map((t) => [t, count])) as Record<SnapType, typeof count>),
    snap: fc.boolean(),
    clean: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
    adopt: fc.subarray(['other', 'hf_x']),
    zone: fc.constantFrom('UTC', 'Europe/Berlin'),
    guarded: fc.subarray(['hourly', 'weekly'] as SnapType[]),
  })
  .map((p) => ({
    counts: Object.fromEntries(Object.entries(p.counts).filter(([, v]) => v !== undefined)),
    snap: p.snap,
    clean: p.clean,
    prefix: 'hf',
    adopt: p.adopt,
    zone: p.zone,
    guardedTypes: new Map(p.guarded.map((t) => [t, `${t}ley is set but ${t} is not: keep them all`])),
    section: 'sec',
  }));

const world = hostSpec.chain((spec) =>
  fc.record({
    spec: fc.constant(spec),
    policies: fc.tuple(...spec.datasets.map(() => fc.option(policyArb, { nil: undefined, freq: 5 }))),
    protect: fc.tuple(
      ...spec.datasets.map((d) =>
        fc.subarray(
          d.snaps.map((s) => s.name),
          { maxLength: Math.min(2, d.snaps.length) },
        ),
      ),
    ),
    comma: fc.boolean(),
    recursive: fc.constantFrom(true, false, undefined),
    multi: fc.boolean(),
    nowMs: fc.integer({ min: Date.UTC(2019, 11, 25), max: Date.UTC(2020, 1, 10) }),
    unchanged: fc.subarray(spec.datasets.map((d) => d.name)),
  }),
);

type World = typeof world extends fc.Arbitrary<infer W> ? W : never;

const policiesOf = (w: World): Map<string, SnapPolicy> =>
  new Map(w.spec.datasets.flatMap((d, i) => (w.policies[i] ? [[d.name, w.policies[i]!] as const] : [])));
const protectionsOf = (w: World): Protections =>
  new Map(w.spec.datasets.map((d, i) => [d.name, new Map(w.protect[i]!.map((n) => [n, `the base of ${d.name} on backup`]))]));

// Plans as plain data: batches with their covers, verdicts with the snapshot, parsed name and
// every reason as text.
function plainClean(plan: CleanPlan) {
  return {
    batches: plan.batches.map((b) => ({
      kind: b.kind,
      dataset: b.dataset,
      snapNames: [...b.snapNames],
      recursive: b.recursive,
      covers: b.covers.map((c) => ({ dataset: c.dataset, name: c.name })),
    })),
    datasets: plan.datasets.map((d) => ({
      dataset: d.dataset,
      section: d.section,
      verdicts: d.verdicts.map((v) => ({
        snapshot: { dataset: v.item.dataset, name: v.item.name, createtxg: v.item.createtxg, guid: v.item.guid, userrefs: v.item.userrefs },
        parsed: { prefix: v.item.parsed.prefix, type: v.item.parsed.type, time: v.item.parsed.time },
        keep: v.keep,
        reasons: [...v.reasons],
      })),
    })),
  };
}

const coverKeys = (plan: ReturnType<typeof plainClean>): string[] =>
  plan.batches.flatMap((b) => b.covers.map((c) => `${c.dataset}@${c.name}`));

describe('the issue-15 planner makes the plans the planner before it made', () => {
  it('clean: the same batches, covers, verdicts and reasons', () => {
    fc.assert(
      fc.property(world, (w) => {
        const state = stateOf(w.spec);
        const caps = { commaDestroy: w.comma, ...(w.recursive === undefined ? {} : { recursive: w.recursive }) };
        const now = plainClean(planClean(state, policiesOf(w), protectionsOf(w), caps));
        const before = plainClean(cleanV1(state, policiesOf(w), protectionsOf(w), caps) as unknown as CleanPlan);
        expect(now.datasets).toEqual(before.datasets);
        const keys = coverKeys(before);
        if (new Set(keys).size === keys.length) expect(now.batches).toEqual(before.batches);
        else {
          // The one change: the old planner could cover a subtree twice (two `-r` calls, the second
          // failing) when a dataset between two that lose a name does not have it.
          expect(new Set(coverKeys(now))).toEqual(new Set(keys));
          expect(coverKeys(now)).toHaveLength(new Set(keys).size);
        }
      }),
      { numRuns: 600 },
    );
  }, 60_000);

  it('take: the same decisions (with why) and batches', () => {
    fc.assert(
      fc.property(world, (w) => {
        const state = stateOf(w.spec);
        const caps = { multiSnapshot: w.multi, ...(w.recursive === undefined ? {} : { recursive: w.recursive }) };
        const unchanged = new Map(w.unchanged.map((d) => [d, 'nothing was written since the last snapshot']));
        expect(planTake(state, policiesOf(w), w.nowMs, caps, unchanged)).toEqual(takeV1(state, policiesOf(w), w.nowMs, caps, unchanged));
      }),
      { numRuns: 600 },
    );
  }, 60_000);

  it('names: the same parse of every name', () => {
    fc.assert(
      fc.property(fc.oneof(snapName, fc.string({ maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 30 })), (name) => {
        expect(parseSnapshotName(name)).toEqual(parseNameV1(name));
      }),
      { numRuns: 500 },
    );
  }, 60_000);
});

// `zfs get -Hp -r -o name,property,value` output from a random host, with the odd lines a
// parser must survive: bookmarks, short lines, extra tabs, blank lines, a name's lines apart.
const listing = fc
  .tuple(
    hostSpec,
    fc.subarray(['creation', 'used', 'written']),
    fc.array(
      fc.constantFrom(
        '',
        'p/a#bm\ttype\tbookmark',
        'p\tonly-two',
        'p/a@x\tused\t5\textra',
        'p/a@ü\tguid\t77',
        'zz@s\tcreatetxg\tnope',
        'p@s\tuserrefs\t-',
      ),
      { maxLength: 4 },
    ),
    fc.boolean(),
  )
  .map(([spec, extra, odd, shuffle]) => {
    const lines: string[] = [];
    for (const d of spec.datasets) {
      lines.push(`${d.name}\ttype\tfilesystem`, `${d.name}\tcreatetxg\t1`, `${d.name}\tguid\t9`, `${d.name}\tuserrefs\t-`);
      for (const e of extra) lines.push(`${d.name}\t${e}\t${e.length}`);
      for (const s of d.snaps) {
        const n = `${d.name}@${s.name}`;
        lines.push(`${n}\ttype\tsnapshot`, `${n}\tcreatetxg\t${s.txg}`, `${n}\tguid\t${s.txg * 7919}`, `${n}\tuserrefs\t${s.userrefs}`);
        for (const e of extra) lines.push(`${n}\t${e}\t${s.txg * 100}`);
      }
    }
    lines.push(...odd);
    if (shuffle) lines.reverse();
    return `${lines.join('\n')}\n`;
  });

const BASE = new Set(['type', 'createtxg', 'guid', 'userrefs']);

// The old parser kept every property of a snapshot in `props`; the new one keeps the extras only.
function plainState(s: HostState) {
  return [...s.datasets.values()].map((d) => ({
    name: d.name,
    type: d.type,
    props: d.props,
    snapshots: d.snapshots.map((x) => {
      const extras = Object.entries(x.props ?? {}).filter(([k]) => !BASE.has(k));
      return {
        dataset: x.dataset,
        name: x.name,
        createtxg: x.createtxg,
        guid: x.guid,
        userrefs: x.userrefs,
        props: extras.length ? Object.fromEntries(extras) : undefined,
      };
    }),
  }));
}

describe('the issue-15 listing parser reads what the parser before it read', () => {
  it('the same datasets, snapshots (oldest first), properties and missing roots', () => {
    fc.assert(
      fc.property(listing, fc.constantFrom('', "cannot open 'p/gone': dataset does not exist\n"), (stdout, stderr) => {
        const now = parseGetOutput(stdout, stderr);
        const before = parseV1(stdout, stderr);
        expect(plainState(now)).toEqual(plainState(before));
        expect(now.missing).toEqual(before.missing);
      }),
      { numRuns: 500 },
    );
  }, 60_000);

  it('keeps no property of a snapshot twice: the base four are fields, props holds the rest or is absent', () => {
    const s = parseGetOutput('p\ttype\tfilesystem\np@a\ttype\tsnapshot\np@a\tcreatetxg\t5\np@a\tguid\t9\np@a\tuserrefs\t0\n', '');
    expect(s.datasets.get('p')!.snapshots[0]).toEqual({ dataset: 'p', name: 'a', createtxg: 5, guid: '9', userrefs: 0 });
    expect('props' in s.datasets.get('p')!.snapshots[0]!).toBe(false);
  });
});
