import { describe, expect, it } from 'vitest';
import { HoldsFileError, moveHold, parseHolds, pruneHolds } from '../../src/adapters/btrfs/holds-file.js';

const P = '/b/.snapshots/.holdfast-holds.json';

describe('the btrfs holds file', () => {
  it('no file is no holds; a good file parses', () => {
    expect(parseHolds(undefined, P)).toEqual({});
    expect(parseHolds('{"s1": ["holdfast:a", "holdfast:b"]}\n', P)).toEqual({ s1: ['holdfast:a', 'holdfast:b'] });
  });

  it('a damaged file is an error naming it, never "no holds" (which would free every base)', () => {
    for (const text of ['', '{"s1": ["holdfast:a"', '[]', 'null', '{"s1": "holdfast:a"}', '{"s1": [1]}']) {
      expect(() => parseHolds(text, P), text).toThrow(HoldsFileError);
    }
    expect(() => parseHolds('{', P)).toThrow(`${P}: not valid JSON; fix it, or delete it`);
  });

  it("moving a tag releases the old base and keeps the other destinations' holds", () => {
    const h = moveHold({ s1: ['holdfast:a', 'holdfast:b'], s2: ['holdfast:c'] }, 'holdfast:a', 's3');
    expect(h).toEqual({ s1: ['holdfast:b'], s2: ['holdfast:c'], s3: ['holdfast:a'] });
    expect(pruneHolds(h, new Set(['s1', 's3']))).toEqual({ s1: ['holdfast:b'], s3: ['holdfast:a'] });
  });
});
