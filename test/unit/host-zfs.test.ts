import { describe, expect, it } from 'vitest';
import { onHost } from '../../src/domain/host-zfs.js';

describe('onHost: zfs as a host starts it (zfs_path, elevate)', () => {
  it('leaves everything as is without settings, and never touches other programs', () => {
    expect(onHost(['zfs', 'list'], undefined)).toEqual(['zfs', 'list']);
    expect(onHost(['mbuffer', '-q'], { path: '/x/zfs', elevate: 'sudo' })).toEqual(['mbuffer', '-q']);
  });

  it('puts the path and the elevation in front of zfs, and zpool beside an absolute zfs_path', () => {
    expect(onHost(['zfs', 'receive', 'a b'], { path: '/usr/local/sbin/zfs', elevate: 'sudo' })).toEqual([
      'sudo',
      '-n',
      '/usr/local/sbin/zfs',
      'receive',
      'a b',
    ]);
    expect(onHost(['zpool', 'list'], { path: '/usr/local/sbin/zfs', elevate: 'none' })).toEqual(['/usr/local/sbin/zpool', 'list']);
    expect(onHost(['zfs', 'get'], { elevate: 'doas' })).toEqual(['doas', '-n', 'zfs', 'get']);
    expect(onHost(['zpool', 'list'], { path: 'zfs', elevate: 'none' })).toEqual(['zpool', 'list']);
  });
});
