import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { holdfast, lockDir, writeConfig } from '../helpers/cli.js';
import { must } from '../helpers/run.js';
import { LAB_DIR, type TestPool, countsByType, createPool, snapshotsOf, zfs } from '../helpers/zfs-lab.js';
import { held, treeOf } from './send-support.js';

// `holdfast send` from a policy file: every section with a dest, pyznap's per-destination
// lists, the destinations' own clean afterwards, send_types = kept, and holds that keep the
// base when the destination is away.
let src: TestPool;
let dst: TestPool;
let S: string;
let D: string;
const locks = lockDir();
const at = (t: string) => ({ faketime: `2024-05-06 ${t}:00` });
const hf = (conf: string, args: string[], time?: string) =>
  holdfast(['--config', conf, '--lock-dir', locks, ...args], time ? at(time) : {});

beforeAll(async () => {
  [src, dst] = await Promise.all([createPool('scs', 128), createPool('scd', 128)]);
  S = src.name;
  D = dst.name;
});
afterAll(async () => {
  await Promise.all([src?.destroy(), dst?.destroy()]);
});

describe('send from the policy file', () => {
  it('sends every section to every dest, with per-destination lists (pyznap §2.3)', async () => {
    await zfs('create', `${S}/data`);
    for (const c of ['keep', 'skip', 'skip/deep']) await zfs('create', `${S}/data/${c}`);
    const conf = writeConfig(`[${S}/data]
hourly = 24
snap = yes
dest = ${D}/one/data, ${D}/two/data
exclude = */skip,
dest_auto_create = yes, yes
`);
    expect((await hf(conf, ['snap', '--take'], '10:00')).code).toBe(0);
    const r = await hf(conf, ['send']);
    expect(r.code, r.stderr).toBe(0);
    expect((await treeOf(`${D}/one/data`)).filter((n) => !n.includes('@'))).toEqual(['/', '/keep']);
    expect((await treeOf(`${D}/two/data`)).filter((n) => !n.includes('@'))).toEqual(['/', '/keep', '/skip', '/skip/deep']);
    // each destination holds its own base on the source: two holds on the newest snapshot
    const refs = await zfs('get', '-Hp', '-o', 'value', 'userrefs', `${S}/data@holdfast_2024-05-06_10:00:00_hourly`);
    expect(refs.trim()).toBe('2');
  });

  it('prunes a destination that has its own section by its own policy, keeping the held base', async () => {
    const conf = writeConfig(`[${S}/data]
hourly = 24
snap = yes
dest = ${D}/one/data
exclude = */skip

[${D}/one/data]
hourly = 2
clean = yes
`);
    for (const t of ['11:00', '12:00', '13:00']) expect((await hf(conf, ['snap', '--take'], t)).code).toBe(0);
    const r = await hf(conf, ['send']);
    expect(r.code, r.stderr).toBe(0);
    expect(await countsByType(`${D}/one/data`)).toEqual({ hourly: 2 });
    expect(await countsByType(`${S}/data`)).toEqual({ hourly: 4 });
    expect((await snapshotsOf(`${D}/one/data`)).at(-1)).toBe('holdfast_2024-05-06_13:00:00_hourly');
    expect(await held(`${D}/one/data`)).toEqual(['/keep@holdfast_2024-05-06_13:00:00_hourly', '@holdfast_2024-05-06_13:00:00_hourly']);
  });

  it("the destinations' clean keeps a misspelt count's guard from an ancestor section (issue 11)", async () => {
    await zfs('create', `${S}/g`);
    const conf = writeConfig(`[${S}/g]
hourly = 24
snap = yes
dest = ${D}/g/data
dest_auto_create = yes

[${D}/g]
hourley = 2
clean = yes

[${D}/g/data]
daily = 7
`);
    for (const t of ['11:00', '12:00', '13:00']) expect((await hf(conf, ['snap', '--take'], t)).code).toBe(0);
    const r = await hf(conf, ['send']);
    expect(r.code, r.stderr).toBe(0);
    // [${D}/g/data] inherits clean = yes and the guard: "hourley" may be a misspelt hourly
    expect(await countsByType(`${D}/g/data`)).toEqual({ hourly: 3 });
  });

  it('send_types = kept: frequents the destination would prune are not shipped (pyznap #98)', async () => {
    await zfs('create', `${S}/k`);
    const conf = writeConfig(`[${S}/k]
frequent = 4
hourly = 24
snap = yes
dest = ${D}/k
dest_auto_create = yes
send_types = kept

[${D}/k]
hourly = 24
clean = yes
`);
    for (const t of ['09:00', '09:15', '09:30', '10:00', '10:15']) expect((await hf(conf, ['snap', '--take'], t)).code).toBe(0);
    const r = await hf(conf, ['send']);
    expect(r.code, r.stderr).toBe(0);
    expect(await countsByType(`${D}/k`)).toEqual({ hourly: 2 });
    expect(await countsByType(`${S}/k`)).toEqual({ frequent: 5, hourly: 2 });
  });

  it('the destination away: a clean that would delete the base keeps it, and the next send is incremental', async () => {
    await zfs('create', `${S}/off`);
    const conf = writeConfig(`[${S}/off]
hourly = 1
snap = yes
clean = yes
dest = ${D}/off
dest_auto_create = yes
`);
    expect((await hf(conf, ['snap'], '08:00')).code).toBe(0);
    expect((await hf(conf, ['send'])).code).toBe(0);
    const base = 'holdfast_2024-05-06_08:00:00_hourly';
    await must(['zpool', 'export', D]); // the destination goes away
    const away = await hf(conf, ['send']);
    expect(away.code).toBe(1);
    for (const t of ['09:00', '10:00']) expect((await hf(conf, ['snap'], t)).code).toBe(0);
    // hourly = 1 would keep only 10:00; the held base survives the clean
    expect(await snapshotsOf(`${S}/off`)).toEqual([base, 'holdfast_2024-05-06_10:00:00_hourly']);
    await must(['zpool', 'import', '-d', LAB_DIR, D]);
    const back = await hf(conf, ['send']);
    expect(back.code, back.stderr).toBe(0);
    expect(back.stderr).toContain(`(-I from @${base})`);
    expect((await hf(conf, ['snap', '--clean'], '10:05')).code).toBe(0);
    expect(await snapshotsOf(`${S}/off`)).toEqual(['holdfast_2024-05-06_10:00:00_hourly']);
  });

  it('a config with errors stops before anything runs; no dest anywhere is a warning', async () => {
    const bad = writeConfig(`[${S}/data]\ndest = ${D}/x\nretries = many\n`);
    const r = await hf(bad, ['send']);
    expect(r.code).toBe(2);
    const none = writeConfig(`[${S}/data]\nhourly = 1\n`);
    const n = await hf(none, ['send']);
    expect(n.code).toBe(0);
    expect(n.stderr).toMatch(/no section .* has a dest/);
  });
});
