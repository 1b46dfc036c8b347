import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { holdfast, lockDir } from '../helpers/cli.js';
import { run } from '../helpers/run.js';
import { type TestSshd, startSshd } from '../helpers/sshd.js';
import { type TestPool, createPool, snapshotsOf, zfs } from '../helpers/zfs-lab.js';

// The destination end of a first send (issue 10, items 1 and 2), locally and pushed over a real
// sshd: a dataset that already exists without snapshots is never overwritten unless --force,
// whatever it holds; a missing one is created by the receive itself (never -F), its missing
// parents only with dest_auto_create, and a missing pool is named as such.
let pool: TestPool;
let P: string;
let sshd: TestSshd;
const locks = lockDir();
let n = 0;

beforeAll(async () => {
  [pool, sshd] = await Promise.all([createPool('dst', 128), startSshd()]);
  P = pool.name;
});
afterAll(async () => {
  await sshd?.stop();
  await pool?.destroy();
});

const WHERE = [
  ['locally', (d: string) => d, (d: string) => d],
  ['over ssh', (d: string) => sshd.location(d), (d: string) => sshd.location(d)],
] as const;

const send = (src: string, dst: string, ...args: string[]) =>
  holdfast(['--lock-dir', locks, 'send', '-s', src, '-d', dst, ...sshd.flags, ...args]);

// A source with one snapshot of its own data, and the name of a destination beside it.
async function source(): Promise<{ src: string; dst: string }> {
  n++;
  const src = `${P}/s${n}`;
  await zfs('create', src);
  writeFileSync(join(await mountpoint(src), 'from-source.txt'), 'replicated\n');
  await zfs('snapshot', `${src}@a`);
  return { src, dst: `${P}/d${n}` };
}

const mountpoint = async (ds: string): Promise<string> => (await zfs('get', '-H', '-o', 'value', 'mountpoint', ds)).trim();
const sha = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

// A destination made by someone else: `bytes` of data in keep.bin, flushed to disk (zfs-fuse
// accounts written data only after a txg sync, which taking a snapshot forces).
async function occupied(dst: string, bytes: number): Promise<{ file: string; sum: string }> {
  await zfs('create', dst);
  const file = join(await mountpoint(dst), 'keep.bin');
  await run(['sh', '-c', `head -c ${bytes} /dev/urandom > '${file}'`]);
  await zfs('snapshot', `${dst}@sync`);
  await zfs('destroy', `${dst}@sync`);
  return { file, sum: sha(file) };
}

// The received dataset's files (received with -u: mounted here to look).
async function filesOf(ds: string): Promise<string> {
  const [mounted] = (await zfs('get', '-H', '-o', 'value', 'mounted', ds)).trim().split('\n');
  if (mounted !== 'yes') await zfs('mount', ds);
  return (await run(['ls', '-A', await mountpoint(ds)])).stdout;
}

const SIZES = [
  ['1 B', 1],
  ['100 KiB', 100 * 1024],
  ['2 MiB', 2 * 1024 * 1024],
] as const;

describe.each(WHERE)('a destination that exists without snapshots, %s', (_, at, shown) => {
  it.each(SIZES)('holding %s: a conflict saying what it holds and how to resolve it; nothing changes', async (_size, bytes) => {
    const { src, dst } = await source();
    const { file, sum } = await occupied(dst, bytes);
    const r = await send(src, at(dst));
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain(
      `conflict: ${shown(dst)} exists but has no snapshots: holdfast did not create it, and a full send from ${src} would overwrite what it holds`,
    );
    expect(r.stderr).toMatch(/it holds: \S+ referenced, \S+ used, no child datasets, mounted at /);
    expect(r.stderr).toContain(`zfs rename ${dst} ${dst}-conflict`);
    expect(r.stderr).toContain(`zfs destroy ${dst}`);
    expect(r.stderr).toContain('or send with --force (force = yes) to overwrite it');
    expect(r.stderr).not.toMatch(/zfs receive/);
    expect(await snapshotsOf(dst)).toEqual([]);
    expect(sha(file)).toBe(sum);
  });

  it('the printed commands work as printed: moved aside (still mounted), the next send creates the destination afresh', async () => {
    const { src, dst } = await source();
    const { sum } = await occupied(dst, 1000);
    const j = await holdfast(['--lock-dir', locks, '--json', '--dry-run', 'send', '-s', src, '-d', at(dst), ...sshd.flags]);
    const keepCopy: string[] = JSON.parse(j.stdout).jobs[0].datasets[0].conflict.keepCopy;
    expect(keepCopy.map((l) => l.slice(l.indexOf('zfs ')).replace(/'/g, ''))).toEqual([
      `zfs unmount ${dst}`,
      `zfs rename ${dst} ${dst}-conflict`,
      `zfs mount ${dst}-conflict`,
    ]);
    for (const line of keepCopy) {
      // zfs-fuse answers "busy" for a moment after an unmount (as destroyTree knows): a person
      // typing the next line never sees it, a script does.
      let ran = await run(['sh', '-c', line]);
      for (let i = 0; i < 10 && ran.code !== 0 && /busy/.test(ran.stderr); i++) {
        await new Promise((res) => setTimeout(res, 300));
        ran = await run(['sh', '-c', line]);
      }
      expect(ran.code, `${line}: ${ran.stderr}`).toBe(0);
    }
    const r = await send(src, at(dst));
    expect(r.code, r.stderr).toBe(0);
    expect(await snapshotsOf(dst)).toEqual(['a']);
    expect(sha(join(await mountpoint(`${dst}-conflict`), 'keep.bin'))).toBe(sum);
  });

  it.each(SIZES)('holding %s, with --force: overwritten by the full receive, as asked', async (_size, bytes) => {
    const { src, dst } = await source();
    await occupied(dst, bytes);
    const r = await send(src, at(dst), '--force');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`--force: it exists without snapshots; a full receive overwrites it`);
    expect(await snapshotsOf(dst)).toEqual(['a']);
    expect(await filesOf(dst)).toBe('from-source.txt\n');
  });
});

describe('what the conflict report says', () => {
  it('a freshly created, empty dataset is a conflict too (holdfast cannot tell empty from data)', async () => {
    const { src, dst } = await source();
    await zfs('create', dst);
    const r = await send(src, dst);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`conflict: ${dst} exists but has no snapshots`);
  });

  it('children are counted and the destroy command is recursive; --json --dry-run gives the same as data', async () => {
    const { src, dst } = await source();
    await occupied(dst, 4096);
    await zfs('create', `${dst}/c1`);
    await zfs('create', `${dst}/c1/c2`);
    const r = await send(src, dst);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/it holds: .*, 2 child datasets, mounted at /);
    expect(r.stderr).toContain(`zfs destroy -r ${dst}`);
    const j = await holdfast(['--lock-dir', locks, '--json', '--dry-run', 'send', '-s', src, '-d', dst]);
    expect(j.code).toBe(1);
    const c = JSON.parse(j.stdout).jobs[0].datasets[0].conflict;
    expect(c).toMatchObject({
      kind: 'dest-exists',
      holds: { children: 2, mountpoint: await mountpoint(dst) },
      keepCopy: [`zfs rename ${dst} ${dst}-conflict`],
      resolve: [`zfs destroy -r ${dst}`],
    });
    expect(c.holds.referenced).toBeGreaterThan(4096);
    expect(c.holds.used).toBeGreaterThanOrEqual(c.holds.referenced);
  });
});

describe.each(WHERE)('a destination that does not exist, %s', (_, at) => {
  it('its parent exists: the first send creates it, without dest_auto_create and without receive -F', async () => {
    const { src, dst } = await source();
    await zfs('create', `${src}/child`);
    await zfs('snapshot', `${src}/child@a`);
    const dry = await holdfast(['--lock-dir', locks, '--dry-run', 'send', '-s', src, '-d', at(dst), ...sshd.flags]);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).not.toContain('zfs create');
    expect(dry.stdout).toContain(`zfs receive -v -u ${dst}`);
    expect(dry.stdout).not.toMatch(/receive[^|']* -F/);
    const r = await send(src, at(dst));
    expect(r.code, r.stderr).toBe(0);
    expect(await snapshotsOf(dst)).toEqual(['a']);
    expect(await snapshotsOf(`${dst}/child`)).toEqual(['a']);
  });

  it('its parent is missing: without dest_auto_create, one line naming the parent and the command', async () => {
    const { src } = await source();
    const dst = `${P}/m${n}/x/y`;
    const r = await send(src, at(dst));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `destination ${dst} does not exist and neither does its parent ${P}/m${n}/x; create the parent (zfs create -p ${P}/m${n}/x) or set dest_auto_create = yes (--dest-auto-create)`,
    );
    expect((await run(['zfs', 'list', `${P}/m${n}`])).code).not.toBe(0);
  });

  it('its parent is missing: dest_auto_create creates only the parents (zfs create -p PARENT), the receive the rest', async () => {
    const { src } = await source();
    const dst = `${P}/m${n}/x/y`;
    const dry = await holdfast(['--lock-dir', locks, '--dry-run', 'send', '-s', src, '-d', at(dst), '--dest-auto-create', ...sshd.flags]);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain(`zfs create -p ${P}/m${n}/x`);
    expect(dry.stdout).not.toContain(`zfs create -p ${dst}`);
    expect(dry.stdout).not.toMatch(/receive[^|']* -F/);
    const r = await send(src, at(dst), '--dest-auto-create');
    expect(r.code, r.stderr).toBe(0);
    expect(await snapshotsOf(dst)).toEqual(['a']);
  });

  it('dest_auto_create with the parent present creates nothing', async () => {
    const { src, dst } = await source();
    const dry = await holdfast(['--lock-dir', locks, '--dry-run', 'send', '-s', src, '-d', at(dst), '--dest-auto-create', ...sshd.flags]);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).not.toContain('zfs create');
  });

  it('a missing pool is named as a missing pool, with or without dest_auto_create, and nothing is created', async () => {
    const { src } = await source();
    const dst = `nopool${n}x/a/b`;
    for (const extra of [[], ['--dest-auto-create']]) {
      const r = await send(src, at(dst), ...extra);
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toContain(`destination pool nopool${n}x does not exist`);
      expect(r.stderr).not.toContain('zfs create');
    }
  });
});
