import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestPool, createPool, snapshotsOf, zfs } from '../helpers/zfs-lab.js';
import { cli } from './views-support.js';

// abgleich's cleanup against two real destinations: only what both hold (same guid) goes,
// never a snapshot missing on one of them, never a held one, never the common base.
let pool: TestPool;
let P: string;
const h = (t: string) => `holdfast_2020-01-01_${t}:00:00_hourly`;

beforeAll(async () => {
  pool = await createPool('cu', 128);
  P = pool.name;
  await zfs('create', `${P}/src`);
  await zfs('create', `${P}/src/child`);
});
afterAll(async () => pool?.destroy());

describe('cleanup', () => {
  it('destroys only snapshots every destination holds, beyond the newest keep; never an absent or held one', async () => {
    const c = cli(`[${P}/src]\nhourly = 10\nsnap = yes\nclean = yes\ndest = ${P}/d1/src, ${P}/d2/src\ndest_auto_create = yes, yes\n`);
    for (const t of ['10', '11', '12', '13', '14']) expect((await c.run(['snap'], { faketime: `2020-01-01 ${t}:00:00` })).code).toBe(0);
    expect((await c.run(['send'])).code).toBe(0);
    await zfs('destroy', `${P}/d2/src@${h('11')}`); // absent on one destination
    await zfs('hold', 'mine', `${P}/src@${h('10')}`); // held on the source
    const before = await snapshotsOf(`${P}/src`);

    const plan = await c.run(['--dry-run', 'cleanup', `${P}/src`, '--explain']);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain(`keep    ${h('11')}  (not on ${P}/d2/src)`);
    expect(plan.stdout).toContain(`keep    ${h('10')}  (held (1 hold))`);
    expect(plan.stdout).toMatch(
      new RegExp(`keep    ${h('14')}  \\(held \\(2 holds\\); common base with ${P}/d1/src; common base with ${P}/d2/src; newest 1 of 1`),
    );
    expect(await snapshotsOf(`${P}/src`)).toEqual(before); // a dry run changes nothing

    const r = await c.run(['cleanup', `${P}/src`, '--yes']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('cleanup: destroyed 6 of 6 snapshots; 0 failed');
    expect(await snapshotsOf(`${P}/src`)).toEqual([h('10'), h('11'), h('14')]);
    expect(await snapshotsOf(`${P}/src/child`)).toEqual([h('14')]); // on both destinations, not held
    // the destinations are untouched
    expect(await snapshotsOf(`${P}/d1/src`)).toEqual([h('10'), h('11'), h('12'), h('13'), h('14')]);
  });

  it('keeps everything when a destination is not zfs (it cannot see what is there)', async () => {
    const c = cli(`[${P}/src]\nhourly = 10\nsnap = yes\ndest = ${P}/d1/src, file:///var/tmp/hf-nowhere\n`);
    const r = await c.run(['--dry-run', 'cleanup', `${P}/src`, '--explain']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('nothing to destroy');
    expect(r.stdout).toContain('file:///var/tmp/hf-nowhere is not a zfs destination');
  });

  it('refuses an unknown section, and --keep 0', async () => {
    const c = cli(`[${P}/src]\nhourly = 10\nsnap = yes\n`);
    expect((await c.run(['cleanup', `${P}/other`, '--yes'])).code).toBe(2);
    expect((await c.run(['cleanup', `${P}/src`, '--keep', '0', '--yes'])).code).toBe(2);
  });
});
