import { describe, expect, it } from 'vitest';
import { textOf } from '../../src/app/log/events.js';
import { destroyedEvent, tookEvent } from '../../src/app/snap/log.js';
import type { DestroyBatch } from '../../src/domain/snap/clean.js';
import type { SnapshotBatch } from '../../src/domain/snap/take.js';

const at = (d: string): string => `ssh:22:root@nas:${d}`;
const tookText = (...a: Parameters<typeof tookEvent>): string => textOf(tookEvent(...a));
const destroyedText = (...a: Parameters<typeof destroyedEvent>): string => textOf(destroyedEvent(...a));
const snap = (b: Partial<SnapshotBatch>): SnapshotBatch => ({
  kind: 'snapshot',
  snapName: 'hf_1_hourly',
  type: 'hourly',
  recursive: false,
  targets: ['t/a'],
  covers: ['t/a'],
  ...b,
});

describe("snap's log lines in the user's words", () => {
  it('took: one dataset, a recursive subtree, OpenZFS one atomic call naming several, a failed batch done one by one', () => {
    expect(tookText(snap({}), ['t/a'], at)).toBe('took ssh:22:root@nas:t/a@hf_1_hourly');
    const r = snap({ recursive: true, covers: ['t/a', 't/a/b', 't/a/c', 't/a/c/d'] });
    expect(tookText(r, r.covers, (d) => d)).toBe('took t/a@hf_1_hourly and 3 descendants in one recursive call');
    expect(tookText(snap({ recursive: true, covers: ['t/a', 't/a/b'] }), ['t/a', 't/a/b'], (d) => d)).toBe(
      'took t/a@hf_1_hourly and 1 descendant in one recursive call',
    );
    const multi = snap({ targets: ['t/a', 'u/x'], covers: ['t/a', 'u/x'] });
    expect(tookText(multi, multi.covers, (d) => d)).toBe('took t/a@hf_1_hourly and u/x@hf_1_hourly in one atomic call');
    const both = snap({ recursive: true, targets: ['t/a', 'u/x'], covers: ['t/a', 't/a/b', 'u/x'] });
    expect(tookText(both, both.covers, (d) => d)).toBe('took t/a@hf_1_hourly, u/x@hf_1_hourly and 1 descendant in one atomic call');
    expect(tookText(r, ['t/a', 't/a/c'], (d) => d)).toBe(
      'took t/a@hf_1_hourly and t/a/c@hf_1_hourly (one at a time: the call for all of them failed)',
    );
  });

  it('destroyed: one, a comma list, recursive', () => {
    const one: DestroyBatch = {
      kind: 'destroy',
      dataset: 't/a',
      snapNames: ['s1'],
      recursive: false,
      covers: [{ dataset: 't/a', name: 's1' }],
    };
    expect(destroyedText(one, ['t/a@s1'], at)).toBe('destroyed ssh:22:root@nas:t/a@s1');
    const list: DestroyBatch = {
      ...one,
      snapNames: ['s1', 's2'],
      covers: [
        { dataset: 't/a', name: 's1' },
        { dataset: 't/a', name: 's2' },
      ],
    };
    expect(destroyedText(list, ['t/a@s1', 't/a@s2'], (d) => d)).toBe('destroyed t/a@s1, @s2 in one call');
    const rec: DestroyBatch = {
      ...list,
      recursive: true,
      covers: ['t/a', 't/a/b'].flatMap((dataset) => ['s1', 's2'].map((name) => ({ dataset, name }))),
    };
    expect(
      destroyedText(
        rec,
        rec.covers.map((c) => `${c.dataset}@${c.name}`),
        (d) => d,
      ),
    ).toBe('destroyed t/a@s1, @s2 and the same snapshots of 1 descendant in one recursive call (4 snapshots)');
  });
});
