import { describe, expect, it } from 'vitest';
import { figures, meterLine, progressLogLine } from '../../src/cli/render/send-progress.js';
import { clockText as clock } from '../../src/domain/units.js';
import type { TransferInfo } from '../../src/app/send/transfer.js';

const MiB = 1024 * 1024;
const info: TransferInfo = {
  source: 'tank/data/vm/disk0',
  snapshot: 'holdfast_2026-11-22_22:00:00_hourly',
  dest: 'ssh:22:root@nas:pool/data/vm/disk0',
  pv: true,
};

describe('progress figures', () => {
  it('rate, percent and time left from bytes, the estimate and the elapsed time', () => {
    expect(figures({ bytes: 30 * MiB, sizeBytes: 100 * MiB, elapsedSec: 10 })).toEqual({ rate: 3 * MiB, percent: 30, etaSec: 70 / 3 });
    expect(figures({ bytes: 30 * MiB, elapsedSec: 10 })).toEqual({ rate: 3 * MiB });
    expect(figures({ elapsedSec: 10 })).toEqual({});
    // past a short estimate: 99%, no time left shown
    expect(figures({ bytes: 120 * MiB, sizeBytes: 100 * MiB, elapsedSec: 10 })).toEqual({ rate: 12 * MiB, percent: 99 });
    expect(clock(59.6)).toBe('1:00');
    expect(clock(3725)).toBe('1:02:05');
  });
});

describe('the terminal meter', () => {
  const p = { bytes: 300 * MiB, sizeBytes: 1000 * MiB, elapsedSec: 10 };
  it('wide: the whole dataset@snapshot and destination, bytes of size, percent, rate, ETA', () => {
    expect(meterLine(info, p, 200)).toBe(
      `  tank/data/vm/disk0@holdfast_2026-11-22_22:00:00_hourly → ssh:22:root@nas:pool/data/vm/disk0  300.0 MiB of ~1000.0 MiB  30%  30.0 MiB/s  ETA 0:23`,
    );
  });

  it('narrower: the destination goes, then the dataset path from the left at a /, never the @snapshot; never wider than the terminal', () => {
    expect(meterLine(info, p, 120)).toBe(
      `  tank/data/vm/disk0@holdfast_2026-11-22_22:00:00_hourly  300.0 MiB of ~1000.0 MiB  30%  30.0 MiB/s  ETA 0:23`,
    );
    const narrow = meterLine(info, p, 100);
    expect(meterLine(info, p, 104)).toMatch(/^  …\/vm\/disk0@holdfast_/);
    expect(narrow).toBe(`  …/disk0@holdfast_2026-11-22_22:00:00_hourly  300.0 MiB of ~1000.0 MiB  30%  30.0 MiB/s  ETA 0:23`);
    for (const cols of [20, 40, 60, 80, 100, 120, 200]) {
      const line = meterLine(info, p, cols);
      expect(line.length, `${cols} columns: ${line}`).toBeLessThan(Math.max(cols, 21));
      if (cols >= 60) expect(line).toMatch(/@holdfast_2026-11-22_22:00:00_hourly( → \S+)?  300\.0 MiB/);
      expect(line).not.toMatch(/…[^/@]/); // cut at a "/" only
    }
    // narrow: the figures but bytes and percent give way before the snapshot name
    expect(meterLine(info, p, 60)).toBe('  …@holdfast_2026-11-22_22:00:00_hourly  300.0 MiB  30%');
    expect(meterLine(info, p, 64)).toBe('  …/disk0@holdfast_2026-11-22_22:00:00_hourly  300.0 MiB  30%');
  });

  it('without a size: bytes, rate and elapsed; without a count: the elapsed time', () => {
    expect(meterLine({ ...info, dest: 'pool/x' }, { bytes: 3 * MiB, elapsedSec: 2 }, 200)).toBe(
      '  tank/data/vm/disk0@holdfast_2026-11-22_22:00:00_hourly → pool/x  3.0 MiB  1.5 MiB/s  0:02',
    );
    expect(meterLine({ ...info, dest: 'pool/x' }, { elapsedSec: 75 }, 200)).toBe(
      '  tank/data/vm/disk0@holdfast_2026-11-22_22:00:00_hourly → pool/x  1:15 elapsed',
    );
  });
});

describe('the progress line in a log', () => {
  it('bytes, percent of the estimate, elapsed, rate and time left; without a count, how to get one', () => {
    expect(progressLogLine(info, { bytes: 300 * MiB, sizeBytes: 1000 * MiB, elapsedSec: 60 })).toBe(
      'sending tank/data/vm/disk0@holdfast_2026-11-22_22:00:00_hourly → ssh:22:root@nas:pool/data/vm/disk0: 300.0 MiB of ~1000.0 MiB (30%) in 1:00, 5.0 MiB/s, about 2:20 left',
    );
    expect(progressLogLine(info, { bytes: 300 * MiB, elapsedSec: 120 })).toMatch(/: 300\.0 MiB in 2:00, 2\.5 MiB\/s$/);
    expect(progressLogLine(info, { elapsedSec: 120 })).toMatch(/: 2:00 so far \(install pv on this host to see bytes and rate\)$/);
  });
});

describe('the meter with transfers side by side', () => {
  it('one line per transfer in flight, redrawn in place; gone when the last one ends', async () => {
    const { progressEvents } = await import('../../src/cli/render/send-progress.js');
    let out = '';
    const tty = { columns: 100, write: (s: string) => ((out += s), true) } as unknown as NodeJS.WriteStream;
    const ev = progressEvents(tty);
    const a: TransferInfo = { source: 'tank/a', snapshot: 's1', dest: 'pool/a', pv: false };
    const b: TransferInfo = { source: 'tank/b', snapshot: 's1', dest: 'pool/b', pv: false };
    ev.transferStart!(a);
    ev.transferStart!(b);
    await new Promise((r) => setTimeout(r, 600));
    expect(out).toMatch(/tank\/a@s1 → pool\/a .*\n {2}tank\/b@s1 → pool\/b /);
    ev.transferEnd!({ ok: true, transfer: a });
    out = '';
    await new Promise((r) => setTimeout(r, 600));
    expect(out).toContain('\x1b[1A\x1b[K'); // the two-line frame erased: one line up
    expect(out).not.toContain('tank/a@s1');
    expect(out).toContain('tank/b@s1');
    ev.transferEnd!({ ok: true, transfer: b });
    out = '';
    await new Promise((r) => setTimeout(r, 600));
    expect(out).toBe(''); // nothing in flight: no timer, nothing drawn
  });
});
