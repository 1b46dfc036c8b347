import { describe, expect, it } from 'vitest';
import { formatSnapshotName, parseSnapshotName } from '../../src/domain/snapshot-name.js';

describe('snapshot names', () => {
  it('formats pyznap-compatible names', () => {
    const t = { year: 2020, month: 9, day: 22, hour: 20, minute: 4, second: 56 };
    expect(formatSnapshotName('pyznap', t, 'daily')).toBe('pyznap_2020-09-22_20:04:56_daily');
    expect(formatSnapshotName('holdfast', t, 'frequent')).toBe('holdfast_2020-09-22_20:04:56_frequent');
  });

  it('parses our names, pyznap names and sanoid names', () => {
    expect(parseSnapshotName('pyznap_2020-09-22_20:04:56_daily')).toEqual({
      prefix: 'pyznap',
      type: 'daily',
      time: { year: 2020, month: 9, day: 22, hour: 20, minute: 4, second: 56 },
    });
    expect(parseSnapshotName('autosnap_2020-09-22_20:00:00_frequently')?.type).toBe('frequent');
    expect(parseSnapshotName('autosnap_2018-10-28_02:00:00dst_hourly')?.time.hour).toBe(2);
    expect(parseSnapshotName('my_pre_fix_2020-01-01_00:00:00_yearly')?.prefix).toBe('my_pre_fix');
  });

  it('does not parse names that only end like ours (pyznap cleaned pyznap_manual_hourly; holdfast never touches it)', () => {
    for (const n of [
      'pyznap_manual_hourly',
      'before-upgrade',
      'holdfast_2020-13-01_00:00:00_daily',
      'holdfast_2020-01-01_00:00_daily',
      'holdfast_2020-01-01_00:00:00_minutely',
      '_2020-01-01_00:00:00_daily',
    ]) {
      const p = parseSnapshotName(n);
      if (n.startsWith('_')) expect(p?.prefix).toBe('');
      else expect(p).toBeUndefined();
    }
  });
});
