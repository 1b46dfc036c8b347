import { describe, expect, it } from 'vitest';
import { holdTag } from '../../src/app/hold-tag.js';
import { destNameFor, exclusionOf, fnmatch } from '../../src/domain/replication/index.js';

describe('fnmatch (Python fnmatchcase semantics, as pyznap)', () => {
  it.each([
    ['tank/data/sub1', '*/sub1', true],
    ['tank/data/sub10', '*/sub1', false], // the whole name must match
    ['tank/data/sub1/x', '*/sub1', false],
    ['tank/data/sub1/x', '*/sub1*', true], // * crosses "/"
    ['tank/a', 'tank/?', true],
    ['tank/ab', 'tank/?', false],
    ['tank/b', 'tank/[abc]', true],
    ['tank/d', 'tank/[!abc]', true],
    ['tank/a', 'tank/[!abc]', false],
    ['tank/[x', 'tank/[x', true], // unterminated bracket is literal
    ['tank/a.b', 'tank/a.b', true],
    ['tank/aXb', 'tank/a.b', false], // "." is literal
    ['/tank/data', '/tank/data*', true],
    ['tank/data', '/tank/data*', false], // pyznap README's example never matches
    ['tank/Data', 'tank/data', false], // case-sensitive
    ['tank/with space', '*space', true],
  ])('%s ~ %s → %s', (name, pattern, want) => {
    expect(fnmatch(name, pattern)).toBe(want);
  });
});

describe('exclude with subtree semantics', () => {
  it.each([
    ['tank/a', ['*/a'], { pattern: '*/a', matched: 'tank/a' }],
    ['tank/a/b/c', ['*/a'], { pattern: '*/a', matched: 'tank/a' }], // an excluded parent excludes its subtree
    ['tank/ab', ['*/a'], undefined],
    ['tank/x/a', ['tank/a'], undefined],
    ['tank', ['tank'], { pattern: 'tank', matched: 'tank' }],
    ['tank/a', [], undefined],
  ])('%s with %j', (dataset, patterns, want) => {
    expect(exclusionOf(dataset, 'tank', patterns)).toEqual(want);
  });

  it('does not look above the replicated root', () => {
    expect(exclusionOf('pool/data/x', 'pool/data', ['pool'])).toBeUndefined();
  });
});

describe('destination names by prefix replacement', () => {
  it.each([
    ['tank', 'tank', 'backup/tank', 'backup/tank'],
    ['tank/mytank', 'tank', 'backup/tank', 'backup/tank/mytank'], // pyznap: backup/tank/mybackup/tank
    ['tank/data/tank/data', 'tank/data', 'b', 'b/tank/data'],
    ['pool/with space/a:b', 'pool/with space', 'dst/x y', 'dst/x y/a:b'],
  ])('%s (root %s → %s) → %s', (src, root, destRoot, want) => {
    expect(destNameFor(src, root, destRoot)).toBe(want);
  });

  it('refuses a dataset outside the root (tank/database is not under tank/data)', () => {
    expect(() => destNameFor('tank/database', 'tank/data', 'b')).toThrow(/not under/);
  });
});

describe('hold tags', () => {
  it('name the destination', () => {
    expect(holdTag({ kind: 'local' }, 'backup/data')).toBe('holdfast:backup/data');
    expect(holdTag({ kind: 'ssh', host: 'h', user: 'root', port: 2222 }, 'b/d')).toBe('holdfast:root@h:2222:b/d');
  });

  it('stay within ZFS limits for long names', () => {
    const t = holdTag({ kind: 'local' }, `p/${'x'.repeat(250)}`);
    expect(Buffer.byteLength(t)).toBeLessThanOrEqual(200);
    expect(t).not.toBe(holdTag({ kind: 'local' }, `p/${'x'.repeat(249)}y`));
  });
});
