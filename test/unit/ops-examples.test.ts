import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCronFile } from '../../src/app/install/cron-syntax.js';
import { cronFiles, systemdFiles } from '../../src/app/install/schedule-files.js';
import { SAMPLE_CONFIG } from '../../src/config/sample.js';

// examples/ are the files `holdfast setup` writes, rendered for /usr/local/bin/holdfast; these
// tests keep them identical to the source and check them with the real tools: systemd's own
// verifier, the cron reader, and logrotate's debug mode.
const EXAMPLES = resolve(import.meta.dirname, '../../examples');
const BIN = resolve(import.meta.dirname, '../../bin/holdfast.js');
const read = (rel: string) => readFileSync(join(EXAMPLES, rel), 'utf8');
const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
// The set-up command installs every tool these tests use: a missing one fails loudly, never skips.
const needs = (...cmds: string[]) => {
  for (const c of cmds) if (!has(c)) throw new Error(`${c} is not installed; run scripts/setup.sh`);
};
const regenerate = 'regenerate with: npm run build && node scripts/gen-examples.mjs';

describe('examples/', () => {
  const opts = { exec: ['/usr/local/bin/holdfast'] };

  it('holdfast.conf is the sample `holdfast setup` writes', () => {
    expect(read('holdfast.conf'), regenerate).toBe(SAMPLE_CONFIG);
  });

  it('the systemd units, cron file and logrotate rule are what `holdfast setup --systemd/--cron` writes', () => {
    for (const f of systemdFiles(opts)) expect(read(`systemd/${f.path.split('/').pop()}`), `${f.path}; ${regenerate}`).toBe(f.content);
    for (const f of cronFiles(opts)) expect(read(f.path.replace('/etc/', '')), `${f.path}; ${regenerate}`).toBe(f.content);
  });
});

describe('the schedule files', () => {
  it('pass systemd-analyze verify, with no warning, for the example path and an unusual one', () => {
    needs('systemd-analyze');
    const cases = [
      { name: 'plain', exec: [process.execPath, BIN], config: undefined },
      { name: 'odd', exec: [process.execPath, BIN], config: '/etc/hold fast/%h$x.conf' },
    ];
    for (const c of cases) {
      const dir = mkdtempSync(join(tmpdir(), `hf-units-${c.name}-`));
      const files = systemdFiles({ exec: c.exec, ...(c.config ? { config: c.config } : {}) });
      for (const f of files) writeFileSync(join(dir, f.path.split('/').pop()!), f.content);
      const r = spawnSync('systemd-analyze', ['--man=no', 'verify', ...files.map((f) => join(dir, f.path.split('/').pop()!))], {
        encoding: 'utf8',
      });
      expect(r.status, r.stderr).toBe(0);
      expect(
        r.stderr.split('\n').filter((l) => l && !/process_api/.test(l)),
        c.name,
      ).toEqual([]);
      const svc = readFileSync(join(dir, 'holdfast-snap.service'), 'utf8');
      if (c.config) expect(svc).toContain('"/etc/hold fast/%%h$$x.conf" snap');
    }
  });

  it('the cron file parses strictly, also with a path that needs quoting', () => {
    const odd = cronFiles({ exec: ['/opt/hold fast/bin/holdfast'], config: '/etc/x%y.conf' })[0]!;
    const { jobs, issues } = parseCronFile(odd.content);
    expect(issues).toEqual([]);
    expect(jobs[0]?.command).toBe("'/opt/hold fast/bin/holdfast' --config '/etc/x\\%y.conf' snap >>/var/log/holdfast.log 2>&1"); // cron drops the \ before %
  });

  it('the logrotate rule is accepted by logrotate -d', () => {
    needs('logrotate');
    const dir = mkdtempSync(join(tmpdir(), 'hf-logrotate-'));
    mkdirSync(join(dir, 'log'));
    const rule = read('logrotate.d/holdfast').replace('/var/log/holdfast.log', join(dir, 'log/holdfast.log'));
    writeFileSync(join(dir, 'rule'), rule);
    writeFileSync(join(dir, 'log/holdfast.log'), 'x\n');
    const r = spawnSync('logrotate', ['-d', '-s', join(dir, 'state'), join(dir, 'rule')], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(`${r.stdout}${r.stderr}`).not.toMatch(/error|unknown/i);
  });
});
