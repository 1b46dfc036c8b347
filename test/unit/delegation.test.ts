import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { effectivePermissions, parseZfsAllow, permissionsFor } from '../../src/domain/delegation.js';

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/zfs-allow/${name}`, import.meta.url), 'utf8');

describe('parseZfsAllow on captured real output', () => {
  it('reads OpenZFS 2.1: the dataset and its ancestors, sets, each scope', () => {
    const blocks = parseZfsAllow(fixture('openzfs-2.1-child.txt'));
    expect(blocks.map((b) => b.dataset)).toEqual(['perm/src/child', 'perm/src', 'perm']);
    expect(blocks[1]!.sets.get('@hf')).toEqual(['hold', 'send']);
    expect(blocks[1]!.grants).toContainEqual({ who: 'group hfu', scope: 'descendent', perms: ['bookmark'] });
    expect(blocks[1]!.grants).toContainEqual({ who: 'everyone', scope: 'both', perms: ['diff'] });
  });

  it('gives a child what its ancestors grant to descendants, not their local grants; expands sets', () => {
    const blocks = parseZfsAllow(fixture('openzfs-2.1-child.txt'));
    const child = effectivePermissions(blocks, 'perm/src/child', 'hfu', []);
    expect([...child].sort()).toEqual(['destroy', 'diff', 'hold', 'mount', 'release', 'send', 'snapshot']);
    expect(child.has('userprop')).toBe(false); // local to perm/src
    expect(effectivePermissions(blocks, 'perm/src/child', 'hfu', ['hfu']).has('bookmark')).toBe(true);
    expect(effectivePermissions(blocks, 'perm/src/child', 'root', []).has('receive')).toBe(true); // the create-time grant, local to the child
    expect(effectivePermissions(blocks.slice(1), 'perm/src', 'root', []).has('receive')).toBe(false);
    const src = effectivePermissions(parseZfsAllow(fixture('openzfs-2.1-child.txt')).slice(1), 'perm/src', 'hfu', []);
    expect(src.has('userprop')).toBe(true);
    expect(src.has('bookmark')).toBe(false); // descendants only
  });

  it('finds what a receive destination lacks', () => {
    const have = effectivePermissions(parseZfsAllow(fixture('openzfs-2.1-dst.txt')), 'perm/dst/r', 'hfu', []);
    expect(permissionsFor(['receive', 'force']).filter((p) => !have.has(p))).toEqual(['release']); // hold comes from perm
  });

  it('reads nothing from zfs-fuse, whose zfs allow does not work', () => {
    expect(parseZfsAllow(fixture('zfs-fuse.txt'))).toEqual([]);
  });
});

describe('a permission zfs refused', () => {
  it('is a PermissionDeniedError that points at doctor, on the real OpenZFS 2.1 messages; ssh refusals stay ssh errors', async () => {
    const { PermissionDeniedError, SshError, classifyZfsError } = await import('../../src/adapters/zfs/errors.js');
    for (const stderr of [
      'cannot receive new filesystem stream: permission denied\n',
      'cannot create snapshots : permission denied\n',
      "warning: cannot send 'perm/src@b': permission denied\n",
      'cannot hold: permission denied\n',
    ]) {
      const e = classifyZfsError(stderr, ['zfs'], 1);
      expect(e).toBeInstanceOf(PermissionDeniedError);
      expect(e.message).toBe(`${stderr.trim()} (holdfast doctor prints the zfs allow line that grants it)`);
    }
    expect(classifyZfsError('hfu@127.0.0.1: Permission denied (publickey).\n', ['zfs'], 255)).toBeInstanceOf(SshError);
  });
});

describe('a send stage zfs refused', () => {
  it('carries the pointer to doctor as its fix (the stderr a VM send printed)', async () => {
    const { replicationFailure } = await import('../../src/adapters/zfs/replication.js');
    const f = replicationFailure(() => undefined)('cannot receive incremental stream: permission denied\n', [], 1);
    expect(f.fix).toBe('holdfast doctor prints the zfs allow line that grants it');
    expect(replicationFailure(() => undefined)('cannot receive: out of space\n', [], 1).fix).toBeUndefined();
  });
});
