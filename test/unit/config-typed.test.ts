import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sshSettingsFrom } from '../../src/cli/compose/ssh.js';
import { parsePolicyText } from '../../src/config/parse.js';
import { TreeIndex } from '../../src/config/sections/tree.js';

const parse = (text: string) => parsePolicyText(text, '/etc/holdfast/holdfast.conf');

// Issue 11: the file is normalized once into typed sections; nothing outside config/ reads a key
// by its name (test/unit/architecture.test.ts, rule typed-config-only, keeps it so).
describe('typed config', () => {
  it('routes every dest entry once, by kind, with the settings of its kind', () => {
    const f = parse(
      '[tank/a]\ndest = bk/a, ssh::u@h:p/a, s3://bkt/a, file:///srv/a, btrfs:/x, ssh:x\nraw_send = no, no, yes, no, no, no\n' +
        '[btrfs:/data]\ndest = btrfs:/mnt/b, tank/b\ncompress = zstd, none\n',
    );
    expect(f.sends.map((t) => [t.section.name, t.index, t.kind])).toEqual([
      ['tank/a', 0, 'zfs'],
      ['tank/a', 1, 'zfs'],
      ['tank/a', 2, 'store'],
      ['tank/a', 3, 'store'],
      ['tank/a', 4, 'unsupported'],
      ['tank/a', 5, 'invalid'],
      ['btrfs:/data', 0, 'btrfs'],
      ['btrfs:/data', 1, 'unsupported'],
    ]);
    expect(f.sends[2]).toMatchObject({ kind: 'store', raw: true, props: false, exclude: [] });
    expect(f.sends[6]).toMatchObject({ kind: 'btrfs', compress: 'zstd' });
  });

  it('resolves each tree section once: inheritance by path, then [DEFAULT], then the defaults', () => {
    const f = parse(
      '[DEFAULT]\ncleanup_keep = 3\n[tank]\nsnap_if_changed = yes\nmonitor_warn = hourly=2h\n[tank/a/b]\nmonitor = no\n[btrfs:/data]\n',
    );
    const [tank, ab, btrfs] = f.trees;
    expect(tank).toMatchObject({ cleanupKeep: 3, change: { enabled: true, threshold: 0 }, monitor: { enabled: true } });
    expect(ab).toMatchObject({ dataset: 'tank/a/b', change: { enabled: true }, monitor: { enabled: false, warn: tank!.monitor.warn } });
    expect(btrfs).toMatchObject({ kind: 'btrfs', snapshotDir: '.snapshots', cleanupKeep: 3 });
    const index = new TreeIndex(f.trees);
    expect(index.governing({ kind: 'local' }, 'tank/a/b/c')).toBe(ab);
    expect(index.governing({ kind: 'local' }, 'tank/a')).toBe(tank);
    expect(index.governing({ kind: 'local' }, 'tank2')).toBeUndefined();
  });

  it("gives an ssh host the key its section inherits, whatever the file order (not [DEFAULT]'s)", () => {
    const dir = mkdtempSync(join(tmpdir(), 'hf-keys-'));
    const [k0, k1] = ['k0', 'k1'].map((k) => {
      writeFileSync(join(dir, k), 'key\n');
      return join(dir, k);
    });
    const f = parse(`[DEFAULT]\nkey = ${k0}\n[ssh::u@h:pool/x]\nsnap = yes\n[ssh::u@h:pool]\nkey = ${k1}\n[ssh::u@other:pool]\n`);
    const ssh = sshSettingsFrom(f);
    expect(ssh.identity?.({ kind: 'ssh', user: 'u', host: 'h' })).toBe(k1);
    expect(ssh.identity?.({ kind: 'ssh', user: 'u', host: 'other' })).toBe(k0);
  });
});
