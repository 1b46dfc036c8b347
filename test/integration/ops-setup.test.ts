import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCronFile } from '../../src/app/install/cron-syntax.js';
import { BIN, holdfast } from '../helpers/cli.js';

// `holdfast setup --systemd/--cron` plans, then writes: every file is shown first, --dry-run
// writes nothing, an identical file is left alone and a differing one is kept unless --force.
const UNITS = ['holdfast-snap.service', 'holdfast-snap.timer', 'holdfast-send.service', 'holdfast-send.timer'].map(
  (u) => `etc/systemd/system/${u}`,
);
const CRON = ['etc/cron.d/holdfast', 'etc/logrotate.d/holdfast'];

describe('holdfast setup --systemd / --cron', () => {
  it('--dry-run shows every file with its content and writes nothing', async () => {
    const root = mkdtempSync(join(tmpdir(), 'hf-root-'));
    const r = await holdfast(['--dry-run', 'setup', '--systemd', '--cron', '--root', root]);
    expect(r.code, r.stderr).toBe(0);
    for (const f of [...UNITS, ...CRON]) {
      expect(r.stdout).toContain(`would write ${join(root, f)} (mode 0644)`);
      expect(existsSync(join(root, f))).toBe(false);
    }
    expect(r.stdout).toContain(`    ExecStart=${process.execPath} ${BIN} snap`);
    expect(existsSync(join(root, 'etc/holdfast'))).toBe(false);
  });

  it('writes the files (0644) that systemd-analyze and the cron reader accept; a rerun leaves them alone', async () => {
    const root = mkdtempSync(join(tmpdir(), 'hf-root-'));
    const r = await holdfast(['--config', '/etc/holdfast/other.conf', 'setup', '--systemd', '--cron', '--root', root]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('next: systemctl daemon-reload && systemctl enable --now holdfast-snap.timer holdfast-send.timer');
    for (const f of [...UNITS, ...CRON]) expect(statSync(join(root, f)).mode & 0o777).toBe(0o644);
    expect(readFileSync(join(root, UNITS[0]!), 'utf8')).toContain(
      `ExecStart=${process.execPath} ${BIN} --config /etc/holdfast/other.conf snap`,
    );
    const cron = parseCronFile(readFileSync(join(root, CRON[0]!), 'utf8'));
    expect(cron.issues).toEqual([]);
    expect(cron.jobs.map((j) => j.command)).toEqual([
      `${process.execPath} ${BIN} --config /etc/holdfast/other.conf snap >>/var/log/holdfast.log 2>&1`,
      `${process.execPath} ${BIN} --config /etc/holdfast/other.conf send >>/var/log/holdfast.log 2>&1`,
    ]);
    if (spawnSync('sh', ['-c', 'command -v systemd-analyze']).status === 0) {
      const v = spawnSync('systemd-analyze', ['--man=no', 'verify', ...UNITS.map((u) => join(root, u))], { encoding: 'utf8' });
      expect(v.status, v.stderr).toBe(0);
    }
    const again = await holdfast(['--config', '/etc/holdfast/other.conf', 'setup', '--systemd', '--root', root]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(`${join(root, UNITS[0]!)} is already installed, identical; left as it is`);
  });

  it('a file that differs is kept (exit 1, said twice) unless --force, which replaces it and says so', async () => {
    const root = mkdtempSync(join(tmpdir(), 'hf-root-'));
    expect((await holdfast(['setup', '--cron', '--root', root])).code).toBe(0);
    const cron = join(root, CRON[0]!);
    writeFileSync(cron, '# my own\n');
    const kept = await holdfast(['setup', '--cron', '--root', root]);
    expect(kept.code).toBe(1);
    expect(kept.stdout).toContain(`${cron} exists and differs; NOT overwritten (--force replaces it). holdfast would write:`);
    expect(kept.stderr).toContain(`holdfast: 1 file not replaced: ${cron} (--force replaces them)`);
    expect(readFileSync(cron, 'utf8')).toBe('# my own\n');
    const forced = await holdfast(['setup', '--cron', '--force', '--root', root]);
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain(`replaced ${cron} (mode 0644; it differed, --force given)`);
    expect(readFileSync(cron, 'utf8')).toContain('*/15 * * * * root');
  });
});
