import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { holdfast, lockDir, writeConfig } from '../helpers/cli.js';
import { type TestPool, createPool, snapshotsOf, zfs } from '../helpers/zfs-lab.js';
import { periodKey } from '../../src/domain/snap/schedule.js';
import { parseSnapshotName } from '../../src/domain/snapshot-name.js';

// DST changes in a zone that has them, and a clock stepped backwards: never a failed run, never
// two snapshots of a type in one period, never a deletion other than the oldest by creation.
let pool: TestPool;
const locks = lockDir();
beforeAll(async () => {
  pool = await createPool('dst', 128);
});
afterAll(async () => pool?.destroy());

const COUNTS = { frequent: 4, hourly: 3, daily: 2 };
const fmt = (ms: number): string => new Date(ms).toISOString().replace('T', ' ').slice(0, 19);

async function runAt(conf: string, instants: readonly number[], ds: string): Promise<void> {
  const seen: string[] = []; // every snapshot ever taken, in creation order (a name can come back)
  let prev = new Set<string>();
  for (const t of instants) {
    const r = await holdfast(['--config', conf, '--lock-dir', locks, 'snap'], { faketime: fmt(t) });
    expect(r.code, `${fmt(t)}: ${r.stderr}`).toBe(0);
    const now = await snapshotsOf(ds);
    for (const n of now) if (!prev.has(n)) seen.push(n);
    prev = new Set(now);
    const parsed = now.map((n) => parseSnapshotName(n)!);
    for (const [type, max] of Object.entries(COUNTS)) {
      const ofType = parsed.filter((p) => p.type === type);
      expect(ofType.length).toBeLessThanOrEqual(max);
      const keys = ofType.map((p) => periodKey(p.type, p.time));
      expect(new Set(keys).size, `duplicate ${type} period at ${fmt(t)}: ${keys}`).toBe(keys.length);
      // What is left of a type is exactly the newest ones taken so far (no wrong deletion).
      const takenOfType = seen.filter((n) => n.endsWith(`_${type}`));
      expect(now.filter((n) => n.endsWith(`_${type}`))).toEqual(takenOfType.slice(-Math.min(max, takenOfType.length)));
    }
  }
}

const conf = (ds: string) =>
  writeConfig(
    `[${ds}]\n${Object.entries(COUNTS)
      .map(([k, v]) => `${k} = ${v}`)
      .join('\n')}\nsnap = yes\nclean = yes\ntimezone = Europe/Berlin\n`,
  );
const every15 = (fromUtc: number, n: number) => Array.from({ length: n }, (_, i) => fromUtc + i * 15 * 60_000);

describe('DST in Europe/Berlin and clocks stepped back', () => {
  it('autumn: the repeated hour 02:00–03:00 (2018-10-28) is not snapshotted twice', async () => {
    const ds = `${pool.name}/autumn`;
    await zfs('create', ds);
    await runAt(conf(ds), every15(Date.UTC(2018, 9, 27, 23, 0), 15), ds); // 01:00 CEST … 03:30 CET
    expect(await snapshotsOf(ds)).toContain('holdfast_2018-10-28_03:00:00_hourly');
  }, 300_000);

  it('spring: the skipped hour (2018-03-25 02:00 → 03:00) costs nothing', async () => {
    const ds = `${pool.name}/spring`;
    await zfs('create', ds);
    await runAt(conf(ds), every15(Date.UTC(2018, 2, 25, 0, 0), 9), ds); // 01:00 CET … 04:00 CEST
    const names = await snapshotsOf(ds);
    expect(names).toContain('holdfast_2018-03-25_03:00:00_hourly');
    expect(names.some((n) => n.includes('_02:'))).toBe(false);
  }, 300_000);

  it('a clock stepped back an hour neither fails nor duplicates a period', async () => {
    const ds = `${pool.name}/back`;
    await zfs('create', ds);
    const t = (h: number, m: number) => Date.UTC(2020, 5, 1, h, m) - 2 * 3600_000; // Berlin is UTC+2 in June
    await runAt(conf(ds), [t(10, 0), t(10, 15), t(10, 30), t(9, 30), t(9, 45), t(10, 0), t(10, 15), t(11, 0)], ds);
    const hourly = (await snapshotsOf(ds)).filter((n) => n.endsWith('_hourly'));
    expect(hourly).toEqual([
      'holdfast_2020-06-01_10:00:00_hourly',
      'holdfast_2020-06-01_09:30:00_hourly',
      'holdfast_2020-06-01_11:00:00_hourly',
    ]);
  }, 300_000);
});
