import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../src/app/doctor/finding.js';
import { holdfast, lockDir, writeConfig } from '../helpers/cli.js';
import { must } from '../helpers/run.js';
import { type TestPool, createPool, zfs } from '../helpers/zfs-lab.js';
import { type TestSshd, sshShim, startSshd } from '../ops/sshd.js';

// `holdfast doctor` against a real lab: zfs-fuse, two real sshds (one whose PATH lacks lzop,
// as a backup host without the compressor), and broken set-ups, each reported with its fix.
let pool: TestPool;
let full: TestSshd;
let noLzop: TestSshd;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  pool = await createPool('dr', 128);
  await zfs('create', `${pool.name}/src`);
  await zfs('create', `${pool.name}/dst`);
  [full, noLzop] = await Promise.all([startSshd(), startSshd({ path: ['sh', 'zfs', 'zpool', 'true', 'mbuffer', 'pv'] })]);
  env = { PATH: `${sshShim([full, noLzop])}:${process.env.PATH}` };
});
afterAll(async () => {
  full?.stop();
  noLzop?.stop();
  await pool?.destroy();
});

// A private config (mode 0600) sending pool/src to `dest` over ssh with `key`.
function config(dest: string, key: string, extra = ''): string {
  const path = writeConfig(`[${pool.name}/src]\nhourly = 1\nsnap = yes\nclean = yes\ndest = ${dest}\ndest_keys = ${key}\n${extra}`);
  chmodSync(path, 0o600);
  return path;
}

async function doctor(conf: string, ...flags: string[]): Promise<{ code: number; rows: Finding[]; stderr: string }> {
  const r = await holdfast(['--config', conf, '--lock-dir', lockDir(), '--json', 'doctor', ...flags], { env });
  return { code: r.code, rows: (JSON.parse(r.stdout) as { findings: Finding[] }).findings, stderr: r.stderr };
}
const row = (rows: Finding[], check: string, where?: string) =>
  rows.find((f) => f.check === check && (where === undefined || f.where === where));

describe('holdfast doctor', () => {
  it('a healthy lab: every row ok (or nothing to check), exit 0; a pipe gets plain text without colours', async () => {
    const conf = config(full.location(`${pool.name}/dst`), full.key);
    const { code, rows, stderr } = await doctor(conf);
    expect(
      rows.filter((f) => f.status !== 'ok' && f.status !== 'skip'),
      stderr,
    ).toEqual([]);
    expect(code).toBe(0);
    const remote = `ssh:${full.port}:hfroot@127.0.0.1`;
    expect(row(rows, 'ssh', remote)?.detail).toMatch(new RegExp(`^reachable in \\d+ ms with key ${full.key}$`));
    expect(row(rows, 'zfs', 'local')?.detail).toMatch(/^zfs-fuse \(legacy paths/);
    expect(row(rows, 'zfs', 'local')?.detail).toContain('bookmarks unavailable');
    expect(row(rows, 'zfs', remote)?.detail).toContain(pool.name);
    expect(row(rows, 'dataset', `${pool.name}/src`)?.status).toBe('ok');
    expect(row(rows, 'dest', `${remote}:${pool.name}/dst`)?.status).toBe('ok');
    expect(row(rows, 'tools', remote)?.detail).toBe('mbuffer, lzop found');
    expect(row(rows, 'tools', 'local')?.detail).toBe('mbuffer, lzop, pv found');
    const text = await holdfast(['--config', conf, '--lock-dir', lockDir(), 'doctor'], { env });
    expect(text.code).toBe(0);
    expect(text.stdout).not.toContain('\u001b[');
    expect(text.stdout).toMatch(/^ok {3}ssh ssh:\d+:hfroot@127\.0\.0\.1: reachable/m);
    expect(text.stderr).toMatch(/^doctor: \d+ ok, 0 warnings, 0 failures: all good \(exit 0\)$/m);
  });

  it('a compressor missing on the remote: a warning naming it, with apt install on that host (exit 0; --strict exits 1)', async () => {
    const conf = config(noLzop.location(`${pool.name}/dst`), noLzop.key);
    const { code, rows } = await doctor(conf);
    expect(row(rows, 'tools', `ssh:${noLzop.port}:hfroot@127.0.0.1`)).toEqual({
      check: 'tools',
      where: `ssh:${noLzop.port}:hfroot@127.0.0.1`,
      status: 'warn',
      detail: `lzop missing (destination 1 of [${pool.name}/src]; send goes uncompressed)`,
      fix: 'apt install lzop on 127.0.0.1',
    });
    expect(row(rows, 'tools', 'local')?.status).toBe('ok');
    expect(code).toBe(0);
    expect((await doctor(conf, '--strict')).code).toBe(1);
  });

  it('a world-writable config: a warning with chmod 600 (the run still works: exit 0)', async () => {
    const conf = config(full.location(`${pool.name}/dst`), full.key);
    chmodSync(conf, 0o666);
    const { code, rows } = await doctor(conf);
    expect(row(rows, 'config')).toEqual({
      check: 'config',
      where: conf,
      status: 'warn',
      detail: 'mode 0666: writable by group and others; notify_command will not run from it',
      fix: `chmod 600 ${conf}`,
    });
    expect(code).toBe(0);
  });

  it('an unreachable ssh host: a failure with its fix, the host is not probed further, exit 1', async () => {
    const conf = config(`ssh:1:hfroot@127.0.0.1:${pool.name}/dst`, full.key);
    const { code, rows } = await doctor(conf);
    expect(row(rows, 'ssh', 'ssh:1:hfroot@127.0.0.1')).toEqual({
      check: 'ssh',
      where: 'ssh:1:hfroot@127.0.0.1',
      status: 'fail',
      detail: 'connection refused on port 1',
      fix: `start sshd on 127.0.0.1, or correct the port in [${pool.name}/src] (line 1)`,
    });
    expect(rows.filter((f) => f.where.startsWith('ssh:1:hfroot@127.0.0.1') && f.check !== 'ssh').map((f) => [f.check, f.status])).toEqual([
      ['zfs', 'skip'],
      ['dataset', 'skip'],
      ['tools', 'skip'],
    ]);
    expect(code).toBe(1);
  });

  it('a key the server does not accept: a failure with ssh-copy-id', async () => {
    const other = join(full.dir, 'other');
    await must(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-f', other]);
    const { code, rows } = await doctor(config(full.location(`${pool.name}/dst`), other));
    expect(row(rows, 'ssh')).toMatchObject({ status: 'fail', fix: `ssh-copy-id -i ${other}.pub -p ${full.port} hfroot@127.0.0.1` });
    expect(code).toBe(1);
  });

  it('a missing destination: ok under an existing parent; under a missing one it fails unless dest_auto_create; a missing source dataset fails', async () => {
    const fresh = await doctor(config(full.location(`${pool.name}/nothere`), full.key));
    expect(row(fresh.rows, 'dest')).toMatchObject({ status: 'ok', detail: 'does not exist yet; the first send creates it' });
    expect(fresh.code).toBe(0);
    const missing = await doctor(config(full.location(`${pool.name}/no/there`), full.key));
    expect(row(missing.rows, 'dest')).toMatchObject({
      status: 'fail',
      fix: `zfs create -p ${pool.name}/no on ssh:${full.port}:hfroot@127.0.0.1, or set dest_auto_create = yes in [${pool.name}/src]`,
    });
    expect(missing.code).toBe(1);
    const auto = await doctor(config(full.location(`${pool.name}/no/there`), full.key, 'dest_auto_create = yes\n'));
    expect(row(auto.rows, 'dest')).toMatchObject({
      status: 'ok',
      detail: `does not exist yet; send creates its parent ${pool.name}/no (dest_auto_create = yes), then it`,
    });
    expect(auto.code).toBe(0);
    const conf = writeConfig(`[${pool.name}/gone]\nhourly = 1\nsnap = yes\n`);
    chmodSync(conf, 0o600);
    const src = await doctor(conf);
    expect(row(src.rows, 'dataset')).toMatchObject({ status: 'fail', detail: `does not exist ([${pool.name}/gone], line 1)` });
    expect(src.code).toBe(1);
  });

  it('a config that cannot be read or has errors: a failure saying what to run, exit 1; bad flags exit 2', async () => {
    const none = await doctor('/nonexistent/holdfast.conf');
    expect(row(none.rows, 'config')).toMatchObject({ status: 'fail', fix: expect.stringMatching(/^holdfast setup/) });
    expect(none.code).toBe(1);
    const broken = writeConfig(`[${pool.name}/src]\nhourly = many\n`);
    chmodSync(broken, 0o600);
    const b = await doctor(broken);
    expect(row(b.rows, 'policy')).toMatchObject({ status: 'fail', fix: `holdfast --config ${broken} check (each problem with its line)` });
    expect(b.code).toBe(1);
    expect((await holdfast(['doctor', '--bogus'], { env })).code).toBe(2);
  });

  it('--notify sends a test notification to a notify_command', async () => {
    const out = join(full.dir, 'notified.json');
    const conf = config(full.location(`${pool.name}/dst`), full.key, `notify_command = /bin/sh -c 'cat > ${out}'\n`);
    writeFileSync(out, '');
    const { code, rows } = await doctor(conf, '--notify');
    expect(row(rows, 'notify')).toMatchObject({ status: 'ok', where: 'command /bin/sh', detail: 'test sent (exit 0)' });
    expect(code).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toMatchObject({
      command: 'doctor',
      status: 'ok',
      text: expect.stringMatching(/a test notification$/),
    });
  });
});
