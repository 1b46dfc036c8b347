import { mkdirSync, mkdtempSync, readdirSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { holdfast, lockDir, writeConfig } from '../helpers/cli.js';
import { type TestSshd, startSshd } from '../helpers/sshd.js';
import { LAB_DIR, type TestPool, createPool, zfs } from '../helpers/zfs-lab.js';
import { fill, treeOf } from './send-support.js';

// bwlimit: mbuffer -r (else pv -L) on the sending host paces the stream; a 60 MiB send at
// 10M (10 MiB/s) cannot take less than 6 s, whatever the machine. Real zfs-fuse, real sshd.
let pool: TestPool;
let sshd: TestSshd;
let P: string;
const locks = lockDir();
let n = 0;

beforeAll(async () => {
  [pool, sshd] = await Promise.all([createPool('bw', 320), startSshd()]);
  P = pool.name;
});
afterAll(async () => {
  await sshd?.stop();
  await pool?.destroy();
});

async function source(mib: number): Promise<{ src: string; dst: string }> {
  n++;
  const src = `${P}/s${n}`;
  await zfs('create', src);
  await fill(src, mib);
  await zfs('snapshot', `${src}@one`);
  return { src, dst: `${P}/d${n}` };
}

async function timed<T>(f: () => Promise<T>): Promise<{ r: T; s: number }> {
  const t0 = Date.now();
  const r = await f();
  return { r, s: (Date.now() - t0) / 1000 };
}

// A PATH with every program of this machine except the rate limiters.
function pathWithout(...programs: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'hf-path-'));
  const seen = new Set<string>();
  for (const d of ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin']) {
    let names: string[];
    try {
      names = readdirSync(d);
    } catch {
      continue;
    }
    for (const name of names) {
      if (programs.includes(name) || seen.has(name)) continue;
      seen.add(name);
      symlinkSync(join(d, name), join(dir, name));
    }
  }
  return dir;
}

describe('bwlimit', () => {
  it('local, from the config: 60 MiB at bwlimit = 10M takes at least 5.5 s, every stage succeeds; --dry-run shows mbuffer -r', async () => {
    const { src, dst } = await source(60);
    const conf = writeConfig(`[${src}]\ndest = ${dst}\nbwlimit = 10M\n`);
    const dry = await holdfast(['--config', conf, '--lock-dir', locks, '--dry-run', 'send']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout + dry.stderr).toContain(`zfs send ${src}@one | mbuffer -q -s 128K -m 8M -r 10M | pv -n -b -i 0.5 | zfs receive`);
    const { r, s } = await timed(() => holdfast(['--config', conf, '--lock-dir', locks, 'send']));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/ERROR|WARN|exited/);
    expect(s).toBeGreaterThanOrEqual(5.5);
    expect(await treeOf(dst)).toEqual(await treeOf(src));
  });

  it('over ssh, from --bwlimit: 60 MiB pushed at 10M takes at least 5.5 s', async () => {
    const { src, dst } = await source(60);
    const args = ['--lock-dir', locks, 'send', '-s', src, '-d', sshd.location(dst), '-k', sshd.keyPath, ...sshd.flags.slice(2)];
    const dry = await holdfast(['--dry-run', ...args, '--bwlimit', '10M']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout + dry.stderr).toMatch(/zfs send \S+@one \| pv -n -b -i 0\.5 \| lzop \| mbuffer -q -s 128K -m \d+M -r 10M \| ssh /);
    const { r, s } = await timed(() => holdfast([...args, '--bwlimit', '10M']));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/ERROR|WARN|exited/);
    expect(s).toBeGreaterThanOrEqual(5.5);
    expect(await treeOf(dst)).toEqual(await treeOf(src));
  });

  it('pv -L when the sending host has no mbuffer; neither: that destination fails with a clear line, nothing sent', async () => {
    const { src, dst } = await source(12);
    const conf = writeConfig(`[${src}]\ndest = ${dst}\nbwlimit = 4M\n`);
    const noMbuffer = { env: { PATH: pathWithout('mbuffer') } };
    const dry = await holdfast(['--config', conf, '--lock-dir', locks, '--dry-run', 'send'], noMbuffer);
    expect(dry.stdout + dry.stderr).toContain(`zfs send ${src}@one | pv -q -L 4M | pv -n -b -i 0.5 | zfs receive`);
    const neither = await holdfast(['--config', conf, '--lock-dir', locks, 'send'], { env: { PATH: pathWithout('mbuffer', 'pv') } });
    expect(neither.code).toBe(1);
    expect(neither.stderr).toContain('bwlimit = 4M needs mbuffer or pv on the sending host');
    expect(await treeOf(dst)).toEqual([]);
    const { r, s } = await timed(() => holdfast(['--config', conf, '--lock-dir', locks, 'send'], noMbuffer));
    expect(r.code, r.stderr).toBe(0);
    expect(s).toBeGreaterThanOrEqual(2.5); // 12 MiB at 4 MiB/s
    expect(await treeOf(dst)).toEqual(await treeOf(src));
  });

  it('a file:// upload is throttled too: 12 MiB at bwlimit = 2M takes at least 5.5 s and is stored whole', async () => {
    const { src } = await source(12);
    mkdirSync(join(LAB_DIR, 'stores'), { recursive: true });
    const url = `file://${mkdtempSync(join(LAB_DIR, 'stores', 'bw-'))}`;
    const conf = writeConfig(`[${src}]\ndest = ${url}\nbwlimit = 2M\n[${url}]\nstore_compress = none\n`);
    const dry = await holdfast(['--config', conf, '--lock-dir', locks, '--dry-run', 'send']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout + dry.stderr).toContain(`zfs send ${src}@one | mbuffer -q -s 128K -m 8M -r 2M | upload ${url}/`);
    const { r, s } = await timed(() => holdfast(['--config', conf, '--lock-dir', locks, 'send']));
    expect(r.code, r.stderr).toBe(0);
    expect(s).toBeGreaterThanOrEqual(5.5);
    const v = await holdfast(['--config', conf, 'verify', url]);
    expect(v.code, v.stdout + v.stderr).toBe(0);
  });
});
