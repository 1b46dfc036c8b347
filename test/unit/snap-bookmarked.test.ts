import { describe, expect, it } from 'vitest';
import { noteBookmarked } from '../../src/domain/snap/bookmarked.js';
import type { DatasetVerdicts } from '../../src/domain/snap/clean.js';
import { parseSnapshotName } from '../../src/domain/snapshot-name.js';

// plan --explain: a base kept by a hold says "held"; one that only send's bookmark keeps the
// chain of (hold_base = no) says so, whether clean keeps it or not.
const snap = (name: string, guid: string, userrefs = 0) => ({
  dataset: 'tank/a',
  name,
  guid,
  createtxg: 1,
  userrefs,
  parsed: parseSnapshotName(name)!,
});

describe('bookmarked bases in the explanation', () => {
  it('notes the bookmark on the snapshot with its guid; other bookmarks and snapshots are left alone', () => {
    const a = snap('holdfast_2020-01-01_01:00:00_hourly', '11');
    const b = snap('holdfast_2020-01-01_02:00:00_hourly', '22', 1);
    const datasets: DatasetVerdicts[] = [
      {
        dataset: 'tank/a',
        section: 'tank/a',
        verdicts: [
          { item: a, keep: false, reasons: ['beyond hourly = 2'], why: ['beyond hourly = 2'] },
          { item: b, keep: true, reasons: ['held (1 hold)'], why: ['held (1 hold)'] },
        ],
      },
    ];
    const out = noteBookmarked(
      datasets,
      new Map([
        [
          'tank/a',
          [
            { name: 'holdfast_bk_a_12345678', guid: '11' },
            { name: 'someone-else', guid: '22' },
          ],
        ],
      ]),
    );
    expect(out[0]!.verdicts.map((v) => v.reasons)).toEqual([
      ['beyond hourly = 2', 'replication base, bookmarked as #holdfast_bk_a_12345678: the bookmark keeps the chain after it goes'],
      ['held (1 hold)'],
    ]);
    expect(noteBookmarked(datasets, new Map())).toEqual(datasets);
  });
});
