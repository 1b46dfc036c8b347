import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseFullEvery } from '../../src/domain/store/full-every.js';
import type { Manifest } from '../../src/domain/store/manifest.js';
import { manifestKey, streamKey } from '../../src/domain/store/names.js';
import { planUploads } from '../../src/domain/store/plan-upload.js';
import { planStorePrune } from '../../src/domain/store/retention.js';
import { type SourceSnap, storeSelector } from '../../src/domain/store/select.js';
import { buildIndex } from '../../src/domain/store/dataset-index.js';
import { SNAP_TYPES, type Counts, type SnapType } from '../../src/domain/snap-types.js';
import { formatSnapshotName } from '../../src/domain/snapshot-name.js';
import { wallTimeAt } from '../../src/domain/zone.js';
import { policy } from '../support/state.js';

const HOUR = 3600_000;
const T0 = Date.parse('2026-01-05T00:00:00Z');
const DS = 'tank/data';

// A simulated store: what put/delete leave behind, objects and manifests as keys.
class SimStore {
  readonly objects = new Map<string, { bytes: number; lastModifiedMs: number; manifest?: Manifest }>();

  upload(m: Manifest, nowMs: number, crashBeforeManifest: boolean): void {
    this.objects.set(m.object.key, { bytes: m.object.bytes, lastModifiedMs: nowMs });
    if (!crashBeforeManifest) this.objects.set(manifestKey(m.dataset, m.snapshot), { bytes: 500, lastModifiedMs: nowMs, manifest: m });
  }

  index() {
    const listing = [...this.objects].map(([key, o]) => ({ key, bytes: o.bytes, lastModifiedMs: o.lastModifiedMs }));
    const manifests = new Map(
      [...this.objects].filter(([, o]) => o.manifest).map(([key, o]) => [key, { ok: true as const, value: o.manifest! }]),
    );
    return buildIndex(listing, manifests).datasets.get(DS);
  }
}

function manifestFor(step: ReturnType<typeof planUploads>['steps'][number]): Manifest {
  const kind = step.kind;
  const to = step.to;
  const key = streamKey(DS, to.name, kind, { compress: 'zstd', encrypted: true });
  return {
    format: 'holdfast-manifest',
    version: 1,
    dataset: DS,
    snapshot: to.name,
    guid: to.guid,
    createtxg: to.createtxg,
    created: new Date(to.createdMs).toISOString(),
    kind,
    parent: kind === 'incremental' ? { snapshot: step.from.name, guid: step.from.guid } : null,
    object: { key, bytes: 100 + to.createtxg, sha256: 'a'.repeat(64), parts: 1 },
    stream: { bytes: 1, estimate: null },
    filters: { send: [], compress: 'zstd', encryption: { format: 'HFCRYPT-1', keyId: '0123456789abcdef', segmentSize: 65536 } },
    uploaded: new Date(to.createdMs).toISOString(),
    writer: 'sim',
  };
}

// Every manifest left in the store can be restored: its chain reaches a full, all objects present.
function assertAllRestorable(store: SimStore, when: string): void {
  const d = store.index();
  for (const [name, c] of d?.chains ?? []) expect(c.healthy, `${when}: @${name}: ${c.problem}`).toBe(true);
}

const arbCounts = fc.record({
  hourly: fc.integer({ min: 0, max: 6 }),
  daily: fc.integer({ min: 0, max: 4 }),
  weekly: fc.integer({ min: 0, max: 2 }),
});
const arbFullEvery = fc.oneof(fc.constant(undefined), fc.constantFrom('1', '3', '8', '12h', '2d', '1 week'));
const arbEvent = fc.record({
  hours: fc.integer({ min: 1, max: 30 }),
  upload: fc.boolean(),
  crash: fc.integer({ min: 0, max: 9 }), // 0: the upload dies before its manifest
  prune: fc.boolean(),
  cut: fc.option(fc.integer({ min: 0, max: 6 }), { nil: undefined }), // a prune interrupted after this many deletes
});

describe('store retention when a chain cannot be traced', () => {
  // One chain: a full on day 1, then an incremental a day up to day 30; daily = 7.
  function chainOf30(): { store: SimStore; p: ReturnType<typeof policy> } {
    const store = new SimStore();
    const p = policy({ counts: { daily: 7 }, clean: true, section: 's3://b/p' });
    const source: SourceSnap[] = [];
    for (let day = 1; day <= 30; day++) {
      const now = T0 + day * 24 * HOUR;
      source.push({
        name: formatSnapshotName('holdfast', wallTimeAt(now, 'UTC'), 'daily'),
        guid: String(day),
        createtxg: day,
        createdMs: now,
        userrefs: 0,
      });
      const d = store.index();
      const plan = planUploads({
        dataset: DS,
        source,
        stored: d?.stored ?? new Map(),
        chains: d?.chains ?? new Map(),
        select: storeSelector({ policy: p }),
        policy: p,
        fullEvery: undefined,
      });
      plan.steps.forEach((st) => store.upload(manifestFor(st), now, false));
    }
    return { store, p };
  }
  const pruneOf = (idx: NonNullable<ReturnType<SimStore['index']>>, p: ReturnType<typeof policy>, unreadable = new Set<string>()) =>
    planStorePrune({
      dataset: DS,
      stored: idx.stored,
      chains: idx.chains,
      unreadable,
      streams: idx.streams,
      policy: p,
      nowMs: T0 + 31 * 24 * HOUR,
      orphanGraceMs: HOUR,
    });

  it("a manifest that could not be read (a 503, a timeout) stops the whole dataset's prune: the kept snapshots' chain runs through it", () => {
    const { store, p } = chainOf30();
    const idx = store.index()!;
    expect(pruneOf(idx, p).deletes.length).toBe(0); // one chain from day 1: every link is needed anyway
    const d20 = [...idx.stored.values()].find((m) => m.createtxg === 20)!;
    const stored = new Map([...idx.stored].filter(([snap]) => snap !== d20.snapshot));
    const chains = buildIndex(
      [...store.objects].filter(([k]) => k !== manifestKey(DS, d20.snapshot)).map(([key, o]) => ({ key, bytes: o.bytes })),
      new Map(
        [...store.objects]
          .filter(([k, o]) => o.manifest && k !== manifestKey(DS, d20.snapshot))
          .map(([k, o]) => [k, { ok: true as const, value: o.manifest! }]),
      ),
    ).datasets.get(DS)!.chains;
    const plan = pruneOf({ ...idx, stored, chains }, p, new Set([d20.snapshot]));
    expect(plan.deletes.filter((d) => d.key.startsWith('manifests/') || idx.stored.has(d.key))).toEqual([]);
    expect(plan.verdicts.every((v) => v.keep)).toBe(true);
    expect(plan.verdicts[0]!.reasons).toContainEqual(
      expect.stringContaining(`the manifest of @${d20.snapshot} cannot be read: nothing of this dataset is pruned`),
    );
  });

  it('a link whose object is missing stops the prune too, naming the broken chain', () => {
    const { store, p } = chainOf30();
    const d20 = [...store.index()!.stored.values()].find((m) => m.createtxg === 20)!;
    store.objects.delete(d20.object.key);
    const plan = pruneOf(store.index()!, p);
    expect(plan.deletes).toEqual([]);
    expect(plan.verdicts[0]!.reasons).toContainEqual(
      expect.stringMatching(
        /^the chain of @\S+ is broken \(.*\): nothing of this dataset is pruned until holdfast status shows every chain whole$/,
      ),
    );
  });
});

describe('store retention over random schedules', () => {
  it('every stored snapshot stays restorable after every delete of every prune; counts are honoured', () => {
    let deleted = 0; // the property must not hold vacuously
    let fulls = 0;
    fc.assert(
      fc.property(arbCounts, arbFullEvery, fc.array(arbEvent, { minLength: 5, maxLength: 40 }), (counts, fe, events) => {
        const store = new SimStore();
        const p = policy({ counts: counts as Counts, clean: true, section: 's3://b/p' });
        const fullEvery =
          fe === undefined
            ? undefined
            : (parseFullEvery(fe) as { value: ReturnType<typeof parseFullEvery> extends { value: infer V } ? V : never }).value;
        const source: SourceSnap[] = [];
        let now = T0;
        let txg = 1;
        for (const ev of events) {
          for (let h = 0; h < ev.hours; h++) {
            now += HOUR;
            for (const type of typesDue(now))
              source.push({
                name: formatSnapshotName('holdfast', wallTimeAt(now, 'UTC'), type),
                guid: String(txg * 7919),
                createtxg: txg++,
                createdMs: now,
                userrefs: 0,
              });
          }
          const d = store.index();
          // The source's own clean keeps 3 of each type plus the held base (the newest stored snapshot).
          const newestStored = d && [...d.stored.values()].sort((a, b) => b.createtxg - a.createtxg)[0]?.snapshot;
          pruneSource(source, newestStored);
          if (ev.upload) {
            const plan = planUploads({
              dataset: DS,
              source,
              stored: d?.stored ?? new Map(),
              chains: d?.chains ?? new Map(),
              select: storeSelector({ policy: p }),
              policy: p,
              ...(fullEvery ? { fullEvery } : {}),
            });
            expect(plan.outcome).not.toBe('problem');
            fulls += plan.steps.filter((s) => s.kind === 'full').length;
            plan.steps.forEach((s, i) => store.upload(manifestFor(s), now, ev.crash === 0 && i === plan.steps.length - 1));
            if (!(ev.crash === 0 && plan.steps.length > 0)) assertAllRestorable(store, 'after upload');
          }
          if (ev.prune) {
            const idx = store.index();
            if (!idx) continue;
            const plan = planStorePrune({
              dataset: DS,
              stored: idx.stored,
              chains: idx.chains,
              unreadable: new Set(idx.unreadable.keys()),
              streams: idx.streams,
              policy: p,
              nowMs: now,
              orphanGraceMs: HOUR,
            });
            const limit = ev.cut ?? plan.deletes.length;
            deleted += Math.min(limit, plan.deletes.length);
            plan.deletes.slice(0, limit).forEach((del, i) => {
              store.objects.delete(del.key);
              assertAllRestorable(store, `after delete ${i + 1} of ${plan.deletes.length} (${del.why})`);
            });
            const after = store.index()!;
            // What the counts keep is still stored, and the newest stored snapshot is never pruned.
            for (const v of plan.verdicts.filter((x) => x.keep)) expect(after.stored.has(v.snapshot)).toBe(true);
            for (const t of SNAP_TYPES) {
              const n = (counts as Counts)[t] ?? 0;
              const ofType = plan.verdicts.filter((v) => v.snapshot.endsWith(`_${t}`));
              for (const v of ofType.slice(Math.max(0, ofType.length - n))) expect(v.keep).toBe(true);
            }
            expect(plan.verdicts.at(-1)?.keep ?? true).toBe(true);
          }
        }
      }),
      { numRuns: 100 },
    );
    expect(deleted).toBeGreaterThan(100);
    expect(fulls).toBeGreaterThan(50);
  }, 60_000);

  it('full_every lets old chains expire whole', () => {
    const store = new SimStore();
    const p = policy({ counts: { daily: 2 }, clean: true, section: 's3://b/p' });
    const fe = parseFullEvery('3');
    const source: SourceSnap[] = [];
    for (let day = 1; day <= 12; day++) {
      const now = T0 + day * 24 * HOUR;
      source.push({
        name: formatSnapshotName('holdfast', wallTimeAt(now, 'UTC'), 'daily'),
        guid: String(day),
        createtxg: day,
        createdMs: now,
        userrefs: 0,
      });
      const d = store.index();
      const plan = planUploads({
        dataset: DS,
        source,
        stored: d?.stored ?? new Map(),
        chains: d?.chains ?? new Map(),
        select: storeSelector({ policy: p }),
        policy: p,
        fullEvery: 'value' in fe ? fe.value : undefined,
      });
      plan.steps.forEach((s) => store.upload(manifestFor(s), now, false));
      const idx = store.index()!;
      const prune = planStorePrune({
        dataset: DS,
        stored: idx.stored,
        chains: idx.chains,
        unreadable: new Set(),
        streams: idx.streams,
        policy: p,
        nowMs: now,
        orphanGraceMs: HOUR,
      });
      for (const del of prune.deletes) store.objects.delete(del.key);
    }
    const kinds = [...store.index()!.stored.values()].sort((a, b) => a.createtxg - b.createtxg).map((m) => `${m.createtxg}:${m.kind}`);
    // Chains: 1-4, 5-8, 9-12 (a full and 3 incrementals). Days 11 and 12 are kept, so 9-12 stays
    // whole; the chains of days 1-4 and 5-8 expired whole.
    expect(kinds).toEqual(['9:full', '10:incremental', '11:incremental', '12:incremental']);
  });
});

function typesDue(ms: number): SnapType[] {
  const d = new Date(ms);
  const out: SnapType[] = ['hourly'];
  if (d.getUTCHours() === 0) out.push('daily');
  if (d.getUTCHours() === 0 && d.getUTCDay() === 1) out.push('weekly');
  return out;
}

function pruneSource(source: SourceSnap[], held: string | undefined): void {
  const keep = new Set<string>(held ? [held] : []);
  for (const t of SNAP_TYPES)
    source
      .filter((s) => s.name.endsWith(`_${t}`))
      .slice(-3)
      .forEach((s) => keep.add(s.name));
  for (let i = source.length - 1; i >= 0; i--) if (!keep.has(source[i]!.name)) source.splice(i, 1);
}
