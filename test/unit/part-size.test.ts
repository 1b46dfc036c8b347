import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MAX_OBJECT_SIZE,
  MAX_PART_SIZE,
  MAX_PARTS,
  MiB,
  MIN_PART_SIZE,
  partSizeFor,
  partSizeForKnownSize,
  partSizeForUnknownSize,
} from '../../src/adapters/store/part-size.js';

const TiB = 1024 * 1024 * MiB;
const GiB = 1024 * MiB;

// Parts needed for `total` bytes when part n has size `sizeOf(n)`.
function partsNeeded(total: number, sizeOf: (n: number) => number): number {
  let n = 0;
  for (let done = 0; done < total || n === 0; ) done += sizeOf(++n);
  return n;
}

describe('part size, known total (z3 rule)', () => {
  it('matches z3-like examples', () => {
    expect(partSizeForKnownSize(0)).toBe(5 * MiB);
    expect(partSizeForKnownSize(50 * GiB)).toBe(6 * MiB); // 50 GiB / 10,000 = 5.12 MiB
    expect(partSizeForKnownSize(1 * TiB)).toBe(105 * MiB);
    expect(partSizeForKnownSize(MAX_OBJECT_SIZE)).toBe(525 * MiB);
    expect(partSizeForKnownSize(1 * GiB, 64 * MiB)).toBe(64 * MiB);
    expect(() => partSizeForKnownSize(MAX_OBJECT_SIZE + 1)).toThrow(RangeError);
  });

  it('any size up to 5 TiB fits in <= 10,000 parts of >= 5 MiB (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_OBJECT_SIZE }), fc.integer({ min: 0, max: 600 * MiB }), (total, req) => {
        const size = partSizeForKnownSize(total, req);
        expect(size).toBeGreaterThanOrEqual(MIN_PART_SIZE);
        expect(size).toBeGreaterThanOrEqual(Math.min(req, MAX_PART_SIZE));
        expect(size).toBeLessThanOrEqual(MAX_PART_SIZE);
        expect(Math.ceil(total / size)).toBeLessThanOrEqual(MAX_PARTS);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('part size, unknown total (growth)', () => {
  it('starts at the requested size and stays there for small streams', () => {
    expect(partSizeForUnknownSize(1)).toBe(5 * MiB);
    expect(partSizeForUnknownSize(200)).toBe(5 * MiB); // 1 GiB of 5 MiB parts
    expect(partSizeForUnknownSize(1001)).toBe(10 * MiB);
    expect(partSizeForUnknownSize(1, 64 * MiB)).toBe(64 * MiB);
  });

  it('10,000 parts hold 5 TiB for any requested size (property), sizes non-decreasing and legal', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_PART_SIZE }), (req) => {
        let sum = 0;
        let prev = MIN_PART_SIZE;
        let legal = true;
        for (let n = 1; n <= MAX_PARTS; n++) {
          const size = partSizeForUnknownSize(n, req);
          legal &&= size >= prev && size <= MAX_PART_SIZE && size >= Math.min(req, MAX_PART_SIZE);
          sum += size;
          prev = size;
        }
        return legal && sum >= MAX_OBJECT_SIZE;
      }),
      { numRuns: 200 },
    );
  });

  it('any stream up to 5 TiB fits in 10,000 parts (property), with a size hint or none', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: MAX_OBJECT_SIZE }),
        fc.option(fc.integer({ min: 0, max: 2 * MAX_OBJECT_SIZE }), { nil: undefined }),
        (total, hint) => {
          expect(partsNeeded(total, (n) => partSizeFor(n, MIN_PART_SIZE, hint))).toBeLessThanOrEqual(MAX_PARTS);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('reports the sizes reached (for memory planning: part × (concurrency + 1))', () => {
    const at = (total: number, hint?: number) => {
      let n = 0;
      for (let done = 0; done < total; ) done += partSizeFor(++n, MIN_PART_SIZE, hint);
      return { parts: n, lastPartMiB: partSizeFor(n, MIN_PART_SIZE, hint) / MiB };
    };
    expect(at(200 * MiB)).toEqual({ parts: 40, lastPartMiB: 5 });
    expect(at(1 * GiB)).toEqual({ parts: 205, lastPartMiB: 5 });
    expect(at(10 * GiB)).toEqual({ parts: 1327, lastPartMiB: 12 });
    expect(at(100 * GiB)).toEqual({ parts: 3952, lastPartMiB: 77 });
    expect(at(1 * TiB)).toEqual({ parts: 7199, lastPartMiB: 734 });
    expect(at(5 * TiB).parts).toBeLessThanOrEqual(MAX_PARTS);
    // a size hint sets a floor of hint × 2 / 10,000; for large hints it dominates
    expect(at(100 * GiB, 100 * GiB)).toEqual({ parts: 3642, lastPartMiB: 62 }); // growth overtakes 21 MiB
    expect(at(1 * TiB, 1 * TiB)).toEqual({ parts: 4994, lastPartMiB: 210 });
  });

  it('a size hint sets the floor; an overrun keeps growing', () => {
    expect(partSizeFor(1, MIN_PART_SIZE, 1 * TiB)).toBe(210 * MiB);
    expect(partSizeFor(1, MIN_PART_SIZE, 10 * MiB)).toBe(5 * MiB);
    expect(partSizeFor(3001, MIN_PART_SIZE, 10 * MiB)).toBe(40 * MiB);
    expect(partSizeFor(9000, MIN_PART_SIZE, 1 * TiB)).toBe(partSizeForUnknownSize(9000));
  });
});
