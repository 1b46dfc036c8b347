import { chmodSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { must, run } from '../helpers/run.js';
import { type TestSshd, startSshd } from '../helpers/sshd.js';
import { LAB_DIR, type TestPool, createPool, snapshotsOf, zfs } from '../helpers/zfs-lab.js';
import { cli } from './views-support.js';

// zfs_path and elevate per host (issue 13 §3), over a real sshd whose sessions' PATH has no zfs
// (/usr/sbin is left out, as on TrueNAS SCALE over a non-interactive ssh), and as a non-root
// account (hfuser) that may run only zfs and zpool through sudo. zfs-fuse's socket is root's
// alone, so hfuser's zfs without sudo fails: what elevate is for.
const USER = 'hfuser';
let pool: TestPool;
let P: string;
let sshd: TestSshd;
let zfsBin: string; // a directory off the PATH with zfs and zpool in it
let n = 0;

async function ensureUser(): Promise<void> {
  const home = '/var/lib/holdfast-ssh-user';
  mkdirSync(home, { recursive: true });
  for (let i = 0; i < 20; i++) {
    const shadow = await run(['getent', 'shadow', USER]);
    if (shadow.code === 0 && shadow.stdout.split(':')[1] === '*') break;
    const r = shadow.code !== 0 ? await run(['useradd', '-M', '-d', home, '-s', '/bin/sh', USER]) : await run(['usermod', '-p', '*', USER]);
    if (r.code !== 0) await new Promise((res) => setTimeout(res, 150));
  }
  await must(['chown', USER, home]);
  // Only zfs and zpool, as root, without a password: the sudo rule elevate = sudo expects.
  writeFileSync('/etc/sudoers.d/holdfast-test', `${USER} ALL=(root) NOPASSWD: /usr/sbin/zfs, /usr/sbin/zpool\n`, { mode: 0o440 });
}

beforeAll(async () => {
  await ensureUser();
  [pool, sshd] = await Promise.all([createPool('hz', 128), startSshd({ path: '/usr/bin:/bin' })]);
  P = pool.name;
  // sshd reads authorized_keys as the user logging in: let hfuser read it.
  chmodSync(sshd.dir, 0o755);
  chmodSync(join(sshd.dir, 'authorized_keys'), 0o644);
  zfsBin = mkdtempSync(join(LAB_DIR, 'zfsbin-'));
  symlinkSync('/usr/sbin/zfs', join(zfsBin, 'zfs'));
  symlinkSync('/usr/sbin/zpool', join(zfsBin, 'zpool'));
});
afterAll(async () => {
  await sshd?.stop();
  await pool?.destroy();
});

const at = (user: string, ds: string) => `ssh:${sshd.port}:${user}@127.0.0.1:${ds}`;
const head = () => `[DEFAULT]\nkey = ${sshd.keyPath}\nssh_options = UserKnownHostsFile=${sshd.knownHosts}, LogLevel=ERROR\n\n`;

describe('zfs_path: a zfs outside the PATH of a non-interactive ssh', () => {
  it('without it the remote zfs is not found; with it snap and send work, and the dry run shows it', async () => {
    n++;
    const ds = `${P}/z${n}`;
    await zfs('create', ds);
    const without = await cli(`${head()}[${at('hfroot', ds)}]\nfrequent = 2\nsnap = yes\n`).run(['snap']);
    expect(without.code).toBe(1);
    expect(without.stderr).toMatch(/zfs: (command )?not found/);
    const conf = `${head()}[${at('hfroot', ds)}]\nfrequent = 2\nsnap = yes\nzfs_path = ${zfsBin}/zfs\ndest = ${at('hfroot', `${P}/r${n}`)}\n`;
    const c = cli(conf);
    const snap = await c.run(['snap']);
    expect(snap.code, snap.stderr).toBe(0);
    expect(await snapshotsOf(ds)).toHaveLength(1);
    const dry = await c.run(['--dry-run', 'send']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain(`${zfsBin}/zfs send`);
    expect(dry.stdout).toContain(`${zfsBin}/zfs receive`);
    const sent = await c.run(['send']);
    expect(sent.code, sent.stderr).toBe(0);
    expect(await snapshotsOf(`${P}/r${n}`)).toEqual(await snapshotsOf(ds));
  });

  it('check rejects a relative path', async () => {
    const r = await cli(`[${P}]\nzfs_path = bin/zfs\n`).run(['check']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/:2: error: .*zfs_path.*"bin\/zfs" is not a program: write an absolute path/);
  });
});

describe('elevate = sudo: a non-root account with a sudo rule for zfs only', () => {
  it('without elevate the account cannot reach zfs; with it snap works', async () => {
    n++;
    const ds = `${P}/e${n}`;
    await zfs('create', ds);
    const without = await cli(`${head()}[${at(USER, ds)}]\nfrequent = 2\nsnap = yes\nzfs_path = /usr/sbin/zfs\n`).run(['snap']);
    expect(without.code).toBe(1);
    expect(without.stderr).toMatch(/Permission denied|failed to initialize ZFS library/);
    const r = await cli(`${head()}[${at(USER, ds)}]\nfrequent = 2\nsnap = yes\nzfs_path = /usr/sbin/zfs\nelevate = sudo\n`).run(['snap']);
    expect(r.code, r.stderr).toBe(0);
    expect(await snapshotsOf(ds)).toHaveLength(1);
  });

  it('a send elevates only zfs: sudo -n zfs receive behind the unelevated mbuffer and decompressor, and it runs', async () => {
    n++;
    const src = `${P}/s${n}`;
    const dst = `${P}/d${n}`;
    await zfs('create', src);
    await zfs('snapshot', `${src}@one`);
    // The destination host's settings come from a section of that host (it takes no snapshots).
    const conf = `${head()}[${src}]\ndest = ${at(USER, dst)}\ncompress = lzop\n\n[${at(USER, `${P}/unused`)}]\nzfs_path = /usr/sbin/zfs\nelevate = sudo\n`;
    const c = cli(conf);
    const dry = await c.run(['--dry-run', 'send']);
    expect(dry.code, dry.stderr).toBe(0);
    const line = dry.stdout.split('\n').find((l) => l.includes('zfs send'))!;
    expect(line).toMatch(/^zfs send .* \| lzop \| mbuffer .*\| ssh .*'mbuffer [^|]*\| lzop -dfc \| sudo -n \/usr\/sbin\/zfs receive /);
    expect(line).not.toMatch(/sudo -n (lzop|mbuffer|ssh)/);
    const r = await c.run(['send']);
    expect(r.code, r.stderr).toBe(0);
    expect(await snapshotsOf(dst)).toEqual(['one']);
  });

  it('check rejects an unknown elevate', async () => {
    const r = await cli(`[${P}]\nelevate = su\n`).run(['check']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/:2: error: .*elevate.*"su" is not an elevate setting; write sudo, doas or none/);
  });
});
