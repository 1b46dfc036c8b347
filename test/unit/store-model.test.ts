import { describe, expect, it } from 'vitest';
import { analyzeChains } from '../../src/domain/store/chain.js';
import { readManifest } from '../../src/domain/store/manifest.js';
import { decodePart, encodePart, manifestKey, parseKey, streamKey } from '../../src/domain/store/names.js';
import { buildIndex } from '../../src/domain/store/dataset-index.js';
import { datasetStatus } from '../../src/domain/store/status.js';
import { fakeManifest } from './store-fixtures.js';

describe('store object names', () => {
  it('encode names with ":", spaces and dots reversibly, never producing ".", "@" or reserved names', () => {
    const snap = 'holdfast_2026-01-02_10:00:00_daily';
    expect(encodePart(snap)).toBe('holdfast_2026-01-02_10%3A00%3A00_daily');
    for (const s of [snap, 'a b', '.tmp-x', 'x.chunks', 'weird:name . with:all']) {
      expect(decodePart(encodePart(s))).toBe(s);
      expect(encodePart(s)).not.toMatch(/[.@ :]/);
    }
    expect(manifestKey('tank/my data', snap)).toBe('manifests/tank/my%20data/@holdfast_2026-01-02_10%3A00%3A00_daily.json');
    const sk = streamKey('tank/vm.disk', 's1', 'incremental', { compress: 'zstd', encrypted: true });
    expect(sk).toBe('streams/tank/vm%2Edisk/@s1.incr.zfs.zst.enc');
    expect(parseKey(sk)).toEqual({ ns: 'stream', dataset: 'tank/vm.disk', snapshot: 's1', kind: 'incremental', ext: 'zfs.zst.enc' });
    expect(parseKey(manifestKey('tank/a/b', 'x y'))).toEqual({ ns: 'manifest', dataset: 'tank/a/b', snapshot: 'x y' });
    for (const foreign of ['README', 'manifests/tank/x.json', 'streams/tank/@s.weird.zfs', 'manifests/tank/@bad%zz.json'])
      expect(parseKey(foreign)).toBeUndefined();
  });
});

describe('manifests', () => {
  it('accept a valid manifest and refuse damaged ones, naming the key and the field', () => {
    const m = fakeManifest('tank/a', 's2', 2, { parent: 's1' });
    const key = manifestKey('tank/a', 's2');
    expect(readManifest(JSON.stringify(m), key)).toMatchObject({ ok: true });
    expect(readManifest('{"format":', key)).toEqual({ ok: false, problem: `${key}: not valid JSON (damaged or not a manifest)` });
    expect(readManifest(JSON.stringify({ ...m, object: { ...m.object, sha256: '' } }), key)).toMatchObject({
      ok: false,
      problem: expect.stringContaining('no checksum recorded'),
    });
    expect(readManifest(JSON.stringify(m), manifestKey('tank/a', 's3'))).toMatchObject({
      ok: false,
      problem: expect.stringContaining('belongs under another key'),
    });
    expect(readManifest(JSON.stringify({ ...m, object: { ...m.object, key: 'streams/tank/a/@s1.full.zfs' } }), key)).toMatchObject({
      ok: false,
      problem: expect.stringContaining('does not name this snapshot'),
    });
    expect(readManifest(JSON.stringify({ ...m, parent: null }), key)).toMatchObject({
      ok: false,
      problem: expect.stringContaining('no valid parent'),
    });
  });
});

describe('chains', () => {
  const full = fakeManifest('tank/a', 's1', 1);
  const i2 = fakeManifest('tank/a', 's2', 2, { parent: 's1' });
  const i3 = fakeManifest('tank/a', 's3', 3, { parent: 's2' });
  const objects = (ms: (typeof full)[]) => new Map(ms.map((m) => [m.object.key, { bytes: m.object.bytes }]));

  it('walk from the full; healthy only when every link and object is there', () => {
    const byName = new Map([full, i2, i3].map((m) => [m.snapshot, m]));
    const ok = analyzeChains(byName, objects([full, i2, i3]));
    expect(ok.get('s3')).toMatchObject({ healthy: true });
    expect(ok.get('s3')!.links.map((l) => l.snapshot)).toEqual(['s1', 's2', 's3']);
    const noMiddle = analyzeChains(new Map([full, i3].map((m) => [m.snapshot, m])), objects([full, i3]));
    expect(noMiddle.get('s3')).toMatchObject({ healthy: false, brokenAt: 's3', problem: '@s3: its parent @s2 is not stored' });
    expect(noMiddle.get('s1')!.healthy).toBe(true);
    const lostObject = analyzeChains(byName, objects([full, i3]));
    expect(lostObject.get('s3')).toMatchObject({
      healthy: false,
      brokenAt: 's2',
      problem: `@s2: its stream object ${i2.object.key} is missing`,
    });
    const shortObject = analyzeChains(byName, new Map([...objects([full, i2, i3]), [full.object.key, { bytes: 1 }]]));
    expect(shortObject.get('s2')!.problem).toContain('has 1 bytes, the manifest says');
    const otherGuid = analyzeChains(
      new Map([full, { ...i2, parent: { snapshot: 's1', guid: '999' } }].map((m) => [m.snapshot, m])),
      objects([full, i2]),
    );
    expect(otherGuid.get('s2')!.problem).toContain('made from guid 999');
  });

  it('status marks the broken chain and the local-only snapshots', () => {
    const idx = buildIndex(
      [full, i3].flatMap((m) => [
        { key: m.object.key, bytes: m.object.bytes },
        { key: manifestKey(m.dataset, m.snapshot), bytes: 100 },
      ]),
      new Map([full, i3].map((m) => [manifestKey(m.dataset, m.snapshot), { ok: true as const, value: m }])),
    );
    const d = idx.datasets.get('tank/a')!;
    const local = [1, 2, 3, 4].map((n) => ({
      name: `s${n}`,
      guid: String(1000 + n),
      createtxg: n,
      createdMs: Date.parse('2026-01-01T00:00:00Z') + n * 3600_000,
      userrefs: 0,
    }));
    const st = datasetStatus('tank/a', local, d.stored, d.chains, Date.parse('2026-01-02T00:00:00Z'));
    expect(st.rows.map((r) => [r.snapshot, r.local, r.remote, r.health])).toEqual([
      ['s1', true, true, 'ok'],
      ['s2', true, false, 'local-only'],
      ['s3', true, true, 'broken'],
      ['s4', true, false, 'local-only'],
    ]);
    expect(st.broken).toBe(1);
  });
});
