import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { holdfast, lockDir, writeConfig } from '../helpers/cli.js';
import { run } from '../helpers/run.js';
import { type TestPool, createPool, destroyTree, snapshotsOf, zfs } from '../helpers/zfs-lab.js';
import { held, treeOf } from './send-support.js';

// pyznap-spec §10's sending scenarios, local to local, on real zfs-fuse pools, through the
// built CLI. Where holdfast deliberately differs from pyznap's unconditional `recv -F`, the
// test says why.
let pool: TestPool;
let P: string;
let SRC: string;
let DST: string;
const locks = lockDir();

const send = (...args: string[]) => holdfast(['--lock-dir', locks, 'send', '-s', SRC, '-d', DST, ...args]);

// A fresh source and a fresh destination name (held snapshots make destroying old ones a
// chore). The destination is not created: the first full receive creates it.
let n = 0;
async function resetTrees(): Promise<void> {
  n++;
  SRC = `${P}/s${n}`;
  DST = `${P}/d${n}`;
  await zfs('create', SRC);
}

// zfs-fuse accounts written data (and lets a receive -F replace it) only after a txg sync,
// which taking a snapshot forces.
async function syncTxg(ds: string): Promise<void> {
  await zfs('snapshot', `${ds}@sync`);
  await zfs('destroy', `${ds}@sync`);
}

// What a user does before destroying replicated snapshots: release holdfast's hold.
async function releaseAll(root: string, tag = `holdfast:${DST}`): Promise<void> {
  const out = await zfs('get', '-Hp', '-r', '-o', 'name,value', 'userrefs', root);
  for (const line of out.split('\n')) {
    const [name, refs] = line.split('\t');
    if (name?.includes('@') && Number(refs) > 0) await run(['zfs', 'release', tag, name]);
  }
}

beforeAll(async () => {
  pool = await createPool('sl', 256);
  P = pool.name;
});
afterAll(async () => pool?.destroy());

describe('sending, local to local (pyznap TestSending)', () => {
  it('full: ten snapshots, children created between them ⇒ identical trees, newest base held on both sides', async () => {
    await resetTrees();
    for (let i = 0; i < 10; i++) {
      if (i === 3) await zfs('create', `${SRC}/sub1`);
      if (i === 6) await zfs('create', `${SRC}/sub1/abc`);
      if (i === 7) await zfs('create', `${SRC}/with space:x.y-z`);
      await zfs('snapshot', '-r', `${SRC}@snap${i}`);
    }
    const r = await send();
    expect(r.code, r.stderr).toBe(0);
    expect(await treeOf(DST)).toEqual(await treeOf(SRC));
    expect(await held(SRC)).toEqual(['/sub1/abc@snap9', '/sub1@snap9', '/with space:x.y-z@snap9', '@snap9']);
    expect(r.stdout).toBe('');
    expect(await held(DST)).toEqual(await held(SRC));
    expect(r.stderr).toMatch(/sent .*@snap0 .*\(full\)/);
    expect(r.stderr).toMatch(/sent .*@snap9 .*\(-I from @snap0\)/);
  });

  it('incremental: three rounds, each adding a child and a snapshot ⇒ identical after each', async () => {
    for (let i = 0; i < 3; i++) {
      await zfs('create', `${SRC}/round${i}`);
      await zfs('snapshot', '-r', `${SRC}@inc${i}`);
      const r = await send();
      expect(r.code, r.stderr).toBe(0);
      expect(await treeOf(DST)).toEqual(await treeOf(SRC));
    }
    // Only the newest base stays held: the previous one was released.
    expect((await held(SRC)).filter((h) => h.startsWith('@'))).toEqual(['@inc2']);
  });

  it('up to date: nothing is sent, nothing is held again', async () => {
    const r = await send();
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/sent 0 streams .* up to date/);
    expect(r.stderr).toMatch(/\((\d+) zfs/);
    // version + one listing per side; no hold/release when nothing changed
    expect(Number(/\((\d+) zfs/.exec(r.stderr)![1])).toBe(3);
  });

  it('delete-snapshot: the two newest snapshots deleted on the destination ⇒ sent again; children left without any snapshot are conflicts until --force (pyznap: recv -F)', async () => {
    await releaseAll(DST);
    for (const s of ['inc2', 'inc1']) await zfs('destroy', '-r', `${DST}@${s}`);
    // round1 and round2 came with inc1 and inc2: now they exist without snapshots, and nothing
    // tells what was written to them since, so they are not overwritten unasked.
    const r = await send();
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`conflict: ${DST}/round1 exists but has no snapshots`);
    expect(r.stderr).toContain(`conflict: ${DST}/round2 exists but has no snapshots`);
    expect(r.stderr).toMatch(/2 conflicts/);
    expect(await snapshotsOf(`${DST}/round1`)).toEqual([]);
    expect(await snapshotsOf(DST)).toEqual(await snapshotsOf(SRC));
    const forced = await send('--force');
    expect(forced.code, forced.stderr).toBe(0);
    expect(await treeOf(DST)).toEqual(await treeOf(SRC));
  });

  it('delete-snapshot, source side: a destination-only snapshot is a conflict, not silently destroyed (pyznap: recv -F destroyed it)', async () => {
    await releaseAll(SRC); // the sent base is held: a user has to release it to destroy it
    await zfs('destroy', '-r', `${SRC}@inc2`);
    await zfs('snapshot', '-r', `${SRC}@inc3`);
    const before = await treeOf(DST);
    const r = await send();
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`conflict: ${DST} has 1 snapshot newer than the common base @inc1 that ${SRC} does not have: @inc2`);
    expect(r.stderr).toContain(`zfs destroy ${DST}@inc2`);
    expect(r.stderr).toMatch(/send: .*failed: .*→/);
    expect(await treeOf(DST)).toEqual(before);
    const forced = await send('--force');
    expect(forced.code, forced.stderr).toBe(0);
    expect(await treeOf(DST)).toEqual(await treeOf(SRC));
  });

  it('delete-sub: destination children destroyed ⇒ recreated by full sends', async () => {
    await releaseAll(DST);
    await destroyTree(`${DST}/sub1`);
    await destroyTree(`${DST}/round0`);
    const r = await send();
    expect(r.code, r.stderr).toBe(0);
    expect(await treeOf(DST)).toEqual(await treeOf(SRC));
  });

  it('delete-old: the oldest source snapshot destroyed ⇒ the destination keeps it, nothing else differs', async () => {
    await zfs('destroy', '-r', `${SRC}@snap0`);
    await zfs('snapshot', '-r', `${SRC}@inc4`);
    const r = await send();
    expect(r.code, r.stderr).toBe(0);
    const extra = (await treeOf(DST)).filter((n) => !n.endsWith('@snap0'));
    expect(extra).toEqual(await treeOf(SRC));
    expect(await snapshotsOf(DST)).toContain('snap0');
  });

  it('exclude: fnmatch patterns, and an excluded parent excludes its subtree', async () => {
    await resetTrees();
    for (const c of ['sub1', 'sub1/x', 'sub10', 'sub2', 'sub3', 'sub3/abc', 'sub3/abc_abc', 'sub3/efg']) await zfs('create', `${SRC}/${c}`);
    await zfs('snapshot', '-r', `${SRC}@s1`);
    const r = await send('-e', '*/sub1', '-e', '*/sub3/abc', '*/sub3/efg');
    expect(r.code, r.stderr).toBe(0);
    expect((await treeOf(DST)).filter((n) => !n.includes('@'))).toEqual(['/', '/sub10', '/sub2', '/sub3', '/sub3/abc_abc']);
  });
});

describe('destinations and conflicts', () => {
  it('a missing destination parent: an error without --dest-auto-create; with it, the parents are created (more: send-dest.test.ts)', async () => {
    await resetTrees();
    await zfs('snapshot', '-r', `${SRC}@a`);
    const deep = `${DST}/x/y/z`;
    const no = await holdfast(['--lock-dir', locks, 'send', '-s', SRC, '-d', deep]);
    expect(no.code).toBe(1);
    expect(no.stderr).toContain(
      `destination ${deep} does not exist and neither does its parent ${DST}/x/y; create the parent (zfs create -p ${DST}/x/y) or set dest_auto_create = yes`,
    );
    const yes = await holdfast(['--lock-dir', locks, 'send', '-s', SRC, '-d', deep, '--dest-auto-create']);
    expect(yes.code, yes.stderr).toBe(0);
    expect(await snapshotsOf(deep)).toEqual(['a']);
  });

  it('no common snapshot while the destination has snapshots: a conflict listing both sides and the commands', async () => {
    await resetTrees();
    await zfs('create', DST);
    await zfs('snapshot', `${SRC}@a`);
    await zfs('snapshot', `${DST}@other`);
    await zfs('snapshot', `${DST}@a`); // same name, different guid: not a base
    const r = await send();
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `conflict: ${DST} has snapshots, but none in common with ${SRC} (same name and guid); same name, different guid: @a`,
    );
    expect(r.stderr).toContain(`zfs rename ${DST} ${DST}-conflict`);
    expect(r.stderr).toContain(`zfs destroy ${DST}@other`);
    expect(await snapshotsOf(DST)).toEqual(['other', 'a']);
    const json = await holdfast(['--lock-dir', locks, '--json', '--dry-run', 'send', '-s', SRC, '-d', DST]);
    const plan = JSON.parse(json.stdout);
    expect(plan.jobs[0].datasets[0].conflict).toMatchObject({
      kind: 'no-common',
      guidMismatches: ['a'],
      resolve: [`zfs destroy ${DST}@other`, `zfs destroy ${DST}@a`],
    });
    const forced = await send('--force');
    expect(forced.code, forced.stderr).toBe(0);
    expect(await snapshotsOf(DST)).toEqual(['a']);
  });

  it('a destination written to since its newest snapshot is rolled back to it (never past it), then updated', async () => {
    await resetTrees();
    await zfs('snapshot', `${SRC}@a`);
    expect((await send('--mount')).code).toBe(0);
    const [mp, mounted] = (await zfs('get', '-H', '-o', 'value', 'mountpoint,mounted', DST)).trim().split('\n');
    if (mounted !== 'yes') await zfs('mount', DST);
    await run(['dd', 'if=/dev/zero', `of=${mp}/scribble`, 'bs=64k', 'count=1', 'status=none']);
    await syncTxg(DST);
    await zfs('snapshot', `${SRC}@b`);
    const r = await send('--mount');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`${DST} changed since @a; rolling it back to @a`);
    expect(await snapshotsOf(DST)).toEqual(['a', 'b']);
  });

  it('raw send needs OpenZFS: on zfs-fuse a one-line error, nothing sent', async () => {
    const r = await send('--raw');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('raw send (-w) needs OpenZFS 0.8 or later on the source; this host runs zfs-fuse');
  });

  it('initial newest: only the newest snapshot is sent', async () => {
    await resetTrees();
    for (const s of ['a', 'b', 'c']) await zfs('snapshot', `${SRC}@${s}`);
    const r = await send('--initial', 'newest');
    expect(r.code, r.stderr).toBe(0);
    expect(await snapshotsOf(DST)).toEqual(['c']);
  });

  it('dry run: one copy-pasteable line per transfer, nothing changes; --json plans the same', async () => {
    await zfs('snapshot', `${SRC}@d`);
    const r = await holdfast(['--lock-dir', locks, '--dry-run', 'send', '-s', SRC, '-d', DST]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`zfs send -I ${SRC}@c ${SRC}@d | pv -n -b -i 0.5 | zfs receive -v -u ${DST}`);
    expect(r.stdout).toContain(`zfs hold holdfast:${DST} ${SRC}@d`);
    expect(r.stdout).toContain(`zfs release holdfast:${DST} ${SRC}@c`);
    expect(await snapshotsOf(DST)).toEqual(['c']);
    const j = JSON.parse((await holdfast(['--lock-dir', locks, '--json', '--dry-run', 'send', '-s', SRC, '-d', DST])).stdout);
    expect(j.jobs[0].datasets[0]).toMatchObject({
      outcome: 'send',
      base: 'c',
      newBase: 'd',
      steps: [{ kind: 'incremental', from: 'c', to: 'd', flag: '-I' }],
    });
  });

  it('a dataset name with characters ZFS forbids is rejected with one line, and nothing runs', async () => {
    for (const bad of [`${P}/it's`, `${P}/a$b`, `${P}/a;b`, `${P}/a"b`]) {
      const r = await holdfast(['--lock-dir', locks, 'send', '-s', SRC, '-d', bad]);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/invalid character/);
    }
    const conf = writeConfig(`[${SRC}]\ndest = ${P}/x;y\n`);
    const c = await holdfast(['--config', conf, '--lock-dir', locks, 'send']);
    expect(c.code).toBe(1);
    expect(c.stderr).toMatch(/invalid character ";"/);
  });
});

describe('leftovers of issue 12', () => {
  it('--force destroying a destination snapshot holdfast held: no release of it afterwards, in the run or the dry run', async () => {
    await resetTrees();
    await zfs('snapshot', `${SRC}@a`);
    await zfs('snapshot', `${SRC}@b`);
    expect((await send()).code).toBe(0);
    expect(await held(DST)).toEqual(['@b']);
    await releaseAll(SRC);
    await zfs('destroy', `${SRC}@b`);
    await zfs('snapshot', `${SRC}@c`);
    const dry = await holdfast(['--lock-dir', locks, '--dry-run', 'send', '-s', SRC, '-d', DST, '--force']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain(`zfs destroy ${DST}@b`);
    expect(dry.stdout.split(`zfs destroy ${DST}@b`)[1]).not.toContain('zfs release'); // only the one before the destroy
    const forced = await send('--force');
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stderr).not.toMatch(/cannot release/);
    expect(await snapshotsOf(DST)).toEqual(['a', 'c']);
    expect(await held(DST)).toEqual(['@c']);
  });

  it('--dry-run prints the pipeline the run runs, pv stage included (pv is installed here)', async () => {
    await resetTrees();
    await zfs('snapshot', `${SRC}@a`);
    const dry = await holdfast(['--lock-dir', locks, '--dry-run', 'send', '-s', SRC, '-d', DST]);
    expect(dry.code, dry.stderr).toBe(0);
    const printed = dry.stdout.split('\n').find((l) => l.startsWith('zfs send'));
    expect(printed).toContain(' | pv -n -b -i 0.5 | ');
    const real = await holdfast(['--lock-dir', locks, '--json', 'send', '-s', SRC, '-d', DST]);
    expect(real.code, real.stderr).toBe(0);
    expect(JSON.parse(real.stdout).jobs[0].datasets[0].commands).toEqual([printed]);
  });
});
