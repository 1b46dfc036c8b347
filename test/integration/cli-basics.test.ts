import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { holdfast, lockDir, writeConfig } from '../helpers/cli.js';
import { SAMPLE_CONFIG } from '../../src/config/sample.js';

// The CLI surface that needs no pool: setup, check, help, version, logging formats.
describe('holdfast setup', () => {
  it('creates the directory (0755) and a sample (0644), says so, and never overwrites', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'hf-setup-')), 'etc', 'holdfast');
    const r = await holdfast(['setup', '-p', dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`created ${dir} (mode 0755)`);
    expect(r.stdout).toContain(`wrote ${dir}/holdfast.conf (mode 0644)`);
    expect(statSync(dir).mode & 0o777).toBe(0o755);
    expect(statSync(join(dir, 'holdfast.conf')).mode & 0o777).toBe(0o644);
    expect(readFileSync(join(dir, 'holdfast.conf'), 'utf8')).toBe(SAMPLE_CONFIG);
    writeFileSync(join(dir, 'holdfast.conf'), '# mine\n');
    const again = await holdfast(['setup', '-p', dir]);
    expect(again.stdout).toContain('exists; not overwritten');
    expect(readFileSync(join(dir, 'holdfast.conf'), 'utf8')).toBe('# mine\n');
  });
});

describe('holdfast check', () => {
  it('prints every issue with file:line and the resolved policy, exit 2 on errors', async () => {
    const conf = writeConfig('[tank]\nhourly = 24\nsnap = yes\n[tank/x]\ndaily = 7 # week\nhourley = 3\n');
    const r = await holdfast(['--config', conf, 'check']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${conf}:5: error: [tank/x] daily: "7 # week" is not a whole number`);
    expect(r.stderr).toContain(`${conf}:6: warning: [tank/x] hourley: unknown key, ignored (as pyznap ignores it); did you mean "hourly"?`);
    expect(r.stdout).toMatch(/\[tank\/x\].*\n\s+hourly\s+24\s+\(from \[tank\]\)/);
  });

  it('exits 0 on warnings and 2 with --strict', async () => {
    const conf = writeConfig('[tank]\nclean = true\n');
    expect((await holdfast(['--config', conf, 'check'])).code).toBe(0);
    expect((await holdfast(['--config', conf, 'check', '--strict'])).code).toBe(2);
  });

  it('--json gives issues and sections as data', async () => {
    const conf = writeConfig('[tank]\nhourly = 2\n', 'pyznap.conf');
    const j = JSON.parse((await holdfast(['--config', conf, '--json', 'check'])).stdout);
    expect(j.pyznapMode).toBe(true);
    expect(j.sections[0].values).toContainEqual({ key: 'prefix', value: 'pyznap', from: 'default' });
  });
});

describe('help, version and logs', () => {
  it('every command has --help with an example; no arguments prints help and exits 2', async () => {
    const top = await holdfast(['--help']);
    expect(top.code).toBe(0);
    const commands = [...top.stdout.split('Commands:')[1]!.matchAll(/^  ([a-z][a-z-]*)/gm)].map((m) => m[1]!).filter((c) => c !== 'help');
    expect(commands).toEqual(expect.arrayContaining(['setup', 'snap', 'plan', 'check']));
    for (const c of commands) {
      const h = await holdfast([c, '--help']);
      expect(h.code, c).toBe(0);
      expect(h.stdout, c).toContain('Example:');
    }
    const none = await holdfast([]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('Usage: holdfast');
  });

  it('--version prints the package version', async () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    expect((await holdfast(['--version'])).stdout.trim()).toBe(pkg.version);
  });

  it('--log-json writes JSON lines to stderr, text logs are single lines', async () => {
    const conf = writeConfig('[nopoolhere]\nsnap = yes\nhourly = 1\n');
    const j = await holdfast(['--config', conf, '--lock-dir', lockDir(), '--log-json', 'snap']);
    const lines = j.stderr.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.at(-1)).toMatchObject({ level: 50, msg: expect.stringContaining('1 failed: nopoolhere') });
    const t = await holdfast(['--config', conf, '--lock-dir', lockDir(), 'snap']);
    expect(t.code).toBe(1);
    for (const l of t.stderr.trim().split('\n')) expect(l).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d (INFO |WARN |ERROR|DEBUG) /);
  });
});
