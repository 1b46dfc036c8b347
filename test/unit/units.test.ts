import { describe, expect, it } from 'vitest';
import {
  ageSpec,
  bytesText,
  clockText,
  parseBytes,
  parseRate,
  rateArg,
  rateText,
  roughAgeText,
  secondsText,
} from '../../src/domain/units.js';

// The one units module: the sizes, ages, durations and rates every log line and table prints
// (zfsBytesText, ageText and parseAge are pinned in views.test.ts).
describe('units', () => {
  it.each([
    [0, '0 B'],
    [1, '1 B'],
    [1023, '1023 B'],
    [1024, '1.0 KiB'],
    [100 * 1024, '100.0 KiB'],
    [1.5 * 1024 ** 2, '1.5 MiB'],
    [12.1 * 1024 ** 3, '12.1 GiB'],
    [3 * 1024 ** 5, '3072.0 TiB'],
  ])('bytesText(%d) = %s', (n, s) => expect(bytesText(n)).toBe(s));

  it('rates, durations and the stopwatch', () => {
    expect(rateText(3 * 1024 ** 2)).toBe('3.0 MiB/s');
    expect(rateText(512.4)).toBe('512 B/s');
    expect(secondsText(1234)).toBe('1.2 s');
    expect(secondsText(0)).toBe('0.0 s');
    expect(clockText(59.6)).toBe('1:00');
    expect(clockText(3725)).toBe('1:02:05');
  });

  it.each([
    [45, '45 s'],
    [89, '89 s'],
    [90, '2 min'],
    [3600, '60 min'],
    [12 * 3600, '12 h'],
    [2191 * 86_400 + 3600, '2191 d'],
    [-5, '0 s'],
  ])('roughAgeText(%d) = %s', (n, s) => expect(roughAgeText(n)).toBe(s));

  it('ageSpec writes an age back in the shortest form parseAge reads', () => {
    expect([5400, 100_800, 8 * 86_400, 1_209_600, 45].map(ageSpec)).toEqual(['90m', '28h', '8d', '2w', '45s']);
  });

  it.each([
    ['16M', 16 * 2 ** 20],
    ['64MiB', 64 * 2 ** 20],
    ['2 GiB', 2 * 2 ** 30],
    [' 1t ', 2 ** 40],
    ['1p', 2 ** 50],
    ['12b', 12],
    ['1.5k', 1536],
    ['-1M', undefined],
    ['99999999999P', undefined], // not countable exactly
    ['16 MB of it', undefined],
  ])('parseBytes(%j) = %s', (t, n) => expect(parseBytes(t)).toBe(n));

  it('bandwidth limits: powers of 1024 as mbuffer -r and pv -L read them, written back exactly', () => {
    expect(parseRate('10M')).toBe(10 * 1024 ** 2);
    expect(parseRate('512k')).toBe(512 * 1024);
    expect(parseRate('1.5G')).toBe(1.5 * 1024 ** 3);
    expect(parseRate('10MiB/s')).toBe(10 * 1024 ** 2);
    expect(parseRate('2048')).toBe(2048);
    for (const bad of ['', 'fast', '10X', '-1M', '100', '0']) expect(parseRate(bad)).toBeUndefined();
    expect(rateArg(10 * 1024 ** 2)).toBe('10M');
    expect(rateArg(1536 * 1024 ** 2)).toBe('1536M');
    expect(rateArg(2 * 1024 ** 3)).toBe('2G');
    expect(rateArg(512 * 1024)).toBe('512K');
    expect(rateArg(1500)).toBe('1500');
  });
});
