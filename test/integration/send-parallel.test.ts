import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lockDir, writeConfig } from '../helpers/cli.js';
import { type TestPool, createPool, zfs } from '../helpers/zfs-lab.js';
import { fill, held, holdfastBg, pidsOf, treeOf } from './send-support.js';
import { readFileSync } from 'node:fs';

// Parallel transfers on real zfs-fuse pools, through the built CLI: the bounds (in all, per
// host), parents received before their children, a failed dataset stopping nobody else, and the
// log naming every transfer. Concurrency is observed from outside: the `zfs receive` processes
// alive at once, sampled from /proc while the run goes.
let pool: TestPool;
let P: string;
const locks = lockDir();

beforeAll(async () => {
  pool = await createPool('sp', 384);
  P = pool.name;
});
afterAll(async () => pool?.destroy());

// A tree of `n` children with a grandchild each, `mib` MiB in every dataset, snapshot @s1.
async function tree(root: string, n: number, mib: number): Promise<void> {
  await zfs('create', root);
  for (let i = 0; i < n; i++) {
    await zfs('create', `${root}/c${i}`);
    await zfs('create', `${root}/c${i}/g`);
    await fill(`${root}/c${i}`, mib);
    await fill(`${root}/c${i}/g`, mib);
  }
  await zfs('snapshot', '-r', `${root}@s1`);
}

// Run send in the background and sample the receives into `under`: the most at once, and
// every receive's first and last sighting.
async function watched(args: string[], under: string) {
  const bg = holdfastBg(['--lock-dir', locks, ...args]);
  let most = 0;
  const seen = new Map<string, { first: number; last: number }>();
  let tick = 0;
  let finished = false;
  void bg.done.then(() => (finished = true));
  while (!finished) {
    tick++;
    const pids = pidsOf('zfs', 'receive', under);
    most = Math.max(most, pids.length);
    for (const pid of pids) {
      try {
        const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
        const ds = argv[argv.length - 1];
        if (!ds?.startsWith(under)) continue; // exiting: no command line any more
        const s = seen.get(ds) ?? { first: tick, last: tick };
        s.last = tick;
        seen.set(ds, s);
      } catch {
        // gone
      }
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  return { ...(await bg.done), most, seen };
}

describe('parallel transfers', () => {
  it('default bounds: several receives at once but at most 2 on this host; parents before children; identical trees and holds', async () => {
    const SRC = `${P}/a`;
    const DST = `${P}/a-copy`;
    await tree(SRC, 4, 2);
    const r = await watched(['send', '-s', SRC, '-d', DST], DST);
    expect(r.code, r.stderr).toBe(0);
    expect(await treeOf(DST)).toEqual(await treeOf(SRC));
    expect(await held(DST)).toEqual(await held(SRC));
    expect(r.most).toBe(2); // host_parallel 2: both ends are this host
    // A child's receive is never seen before its parent's last sighting.
    for (const [ds, s] of r.seen) {
      const parent = r.seen.get(ds.slice(0, ds.lastIndexOf('/')));
      if (parent) expect(s.first, `${ds} started before its parent ended`).toBeGreaterThan(parent.last);
    }
    // Every line about a transfer names it.
    for (const line of r.stderr.split('\n').filter((l) => /INFO\s+sent /.test(l))) expect(line).toMatch(new RegExp(`${SRC}.*@s1 → ${DST}`));
  });

  it('send_parallel = 1 in [DEFAULT] sends one at a time; --parallel overrides it', async () => {
    const SRC = `${P}/b`;
    await tree(SRC, 4, 2);
    const conf = writeConfig(`[DEFAULT]\nsend_parallel = 1\n[${SRC}]\ndest = ${P}/b-one\n`);
    const one = await watched(['--config', conf, 'send'], `${P}/b-one`);
    expect(one.code, one.stderr).toBe(0);
    expect(one.most).toBe(1);
    const conf2 = writeConfig(`[DEFAULT]\nsend_parallel = 1\nhost_parallel = 4\n[${SRC}]\ndest = ${P}/b-many\n`);
    const many = await watched(['--config', conf2, 'send', '--parallel', '4'], `${P}/b-many`);
    expect(many.code, many.stderr).toBe(0);
    expect(many.most).toBeGreaterThan(1);
    expect(many.most).toBeLessThanOrEqual(4);
    expect(await treeOf(`${P}/b-many`)).toEqual(await treeOf(SRC));
  });

  it('a failed dataset stops nobody else: its siblings and the other trees are sent, exit 1', async () => {
    const SRC = `${P}/c`;
    const DST = `${P}/c-copy`;
    await tree(SRC, 3, 1);
    const first = await watched(['send', '-s', SRC, '-d', DST], DST);
    expect(first.code, first.stderr).toBe(0);
    // c1's destination gets a snapshot of its own: the next round is a conflict there.
    await zfs('snapshot', `${DST}/c1@mine`);
    await zfs('snapshot', '-r', `${SRC}@s2`);
    const r = await watched(['send', '-s', SRC, '-d', DST], DST);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/conflict/);
    const got = await treeOf(DST);
    for (const ds of ['/c0@s2', '/c0/g@s2', '/c1/g@s2', '/c2@s2', '/c2/g@s2', '@s2']) expect(got).toContain(ds);
    expect(got).not.toContain('/c1@s2');
  });

  it('a bad --parallel is a usage error, nothing sent', async () => {
    const r = await watched(['send', '-s', `${P}/b`, '-d', `${P}/b-bad`, '--parallel', '0'], `${P}/b-bad`);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--parallel: "0" is not a number of transfers from 1 to 64/);
    expect(await treeOf(`${P}/b-bad`)).toEqual([]);
  });
});
