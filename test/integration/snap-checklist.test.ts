import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { holdfast, lockDir, writeConfig } from '../helpers/cli.js';
import { type TestPool, countsByType, createPool, destroyTree, snapshotsOf, zfs } from '../helpers/zfs-lab.js';

// pyznap-spec §11 items 1–7 against a real zfs-fuse pool, run through the built CLI.
let pool: TestPool;
let P: string;
const locks = lockDir();
const ALL = 'frequent = 1\nhourly = 1\ndaily = 1\nweekly = 1\nmonthly = 1\nyearly = 1\n';

beforeAll(async () => {
  pool = await createPool('ck');
  P = pool.name;
});
afterAll(async () => pool?.destroy());

async function reset(...children: string[]): Promise<void> {
  for (const c of (await zfs('list', '-H', '-o', 'name', '-d', '1', '-t', 'filesystem', P)).split('\n').filter((n) => n && n !== P)) {
    await destroyTree(c);
  }
  for (const s of await snapshotsOf(P)) await zfs('destroy', `${P}@${s}`);
  for (const c of children) await zfs('create', `${P}/${c}`);
}

const snap = (conf: string, args: string[] = [], faketime?: string) =>
  holdfast(['--config', conf, '--lock-dir', locks, 'snap', ...args], faketime ? { faketime } : {});

describe('pyznap acceptance checklist (pyznap-spec §11)', () => {
  it('1: take twice in one minute ⇒ one snapshot of each type on the pool and every descendant', async () => {
    await reset('a', 'a/b', 'with space');
    const conf = writeConfig(`[${P}]\n${ALL}snap = yes\n`);
    const t = '2021-03-04 10:20:05 UTC';
    expect((await snap(conf, ['--take'], t)).code).toBe(0);
    expect((await snap(conf, ['--take'], '2021-03-04 10:20:40 UTC')).code).toBe(0);
    for (const d of [P, `${P}/a`, `${P}/a/b`, `${P}/with space`]) {
      expect(await countsByType(d)).toEqual({ yearly: 1, monthly: 1, weekly: 1, daily: 1, hourly: 1, frequent: 1 });
      expect(await snapshotsOf(d)).toContain('holdfast_2021-03-04_10:20:05_hourly');
    }
  });

  it('2: a child created later gets every type at the next take', async () => {
    const conf = writeConfig(`[${P}]\n${ALL}snap = yes\n`);
    await zfs('create', `${P}/later`);
    const r = await snap(conf, ['--take'], '2021-03-04 10:20:50 UTC');
    expect(r.code).toBe(0);
    expect(await countsByType(`${P}/later`)).toEqual({ yearly: 1, monthly: 1, weekly: 1, daily: 1, hourly: 1, frequent: 1 });
    expect(await countsByType(P)).toEqual({ yearly: 1, monthly: 1, weekly: 1, daily: 1, hourly: 1, frequent: 1 });
  });

  it('3: hourly = 2 keeps the two hourlies created last; 4: an unset daily count destroys every daily', async () => {
    await reset();
    const take = writeConfig(`[${P}]\nhourly = 4\ndaily = 1\nsnap = yes\n`);
    for (const h of ['06', '07', '08', '09']) expect((await snap(take, ['--take'], `2021-03-04 ${h}:00:00 UTC`)).code).toBe(0);
    expect(await countsByType(P)).toEqual({ hourly: 4, daily: 1 });
    const clean = writeConfig(`[${P}]\nhourly = 2\nclean = yes\n`);
    const r = await snap(clean, ['--clean']);
    expect(r.code).toBe(0);
    expect((await snapshotsOf(P)).filter((s) => s.startsWith('holdfast_'))).toEqual([
      'holdfast_2021-03-04_08:00:00_hourly',
      'holdfast_2021-03-04_09:00:00_hourly',
    ]);
  });

  it("5: foreign snapshots (before-upgrade, sanoid's frequently, pyznap's) are never touched", async () => {
    await reset();
    const foreign = [
      'before-upgrade',
      'autosnap_2021-01-01_00:00:00_frequently',
      'autosnap_2021-01-01_00:00:00_hourly',
      'pyznap_2021-01-01_00:00:00_hourly',
    ];
    for (const s of foreign) await zfs('snapshot', `${P}@${s}`);
    const conf = writeConfig(`[${P}]\nhourly = 0\nfrequent = 0\nclean = yes\n`);
    expect((await snap(conf, ['--clean'])).code).toBe(0);
    expect(await snapshotsOf(P)).toEqual(foreign);
  });

  it("5b: adopt = pyznap, autosnap manages those prefixes like holdfast's own", async () => {
    const conf = writeConfig(`[${P}]\nhourly = 1\nclean = yes\nadopt = pyznap, autosnap\n`);
    expect((await snap(conf, ['--clean'])).code).toBe(0);
    expect(await snapshotsOf(P)).toEqual(['before-upgrade', 'pyznap_2021-01-01_00:00:00_hourly']);
  });

  it('6 (fixed): a child with snap = no and its subtree get none of the parent snapshots', async () => {
    await reset('keep', 'skip', 'skip/deep');
    const conf = writeConfig(`[${P}]\n${ALL}snap = yes\n[${P}/skip]\nsnap = no\n`);
    const r = await snap(conf, ['--take', '--dry-run'], '2021-05-05 05:05:05 UTC');
    expect(r.stdout).not.toContain('skip');
    expect(r.stdout).toContain(`zfs snapshot -r ${P}/keep@holdfast_2021-05-05_05:05:05_yearly`);
    expect(await snapshotsOf(P)).toEqual([]); // dry run changed nothing
    expect((await snap(conf, ['--take'], '2021-05-05 05:05:05 UTC')).code).toBe(0);
    expect(await snapshotsOf(`${P}/skip`)).toEqual([]);
    expect(await snapshotsOf(`${P}/skip/deep`)).toEqual([]);
    expect(Object.values(await countsByType(`${P}/keep`))).toEqual([1, 1, 1, 1, 1, 1]);
  });

  it("7: a child with clean = no keeps its snapshots while the parent's are cleaned", async () => {
    const conf = writeConfig(`[${P}]\nclean = yes\n[${P}/keep]\nclean = no\n`);
    const r = await snap(conf, ['--clean']);
    expect(r.code).toBe(0);
    expect(await snapshotsOf(P)).toEqual([]);
    expect(await snapshotsOf(`${P}/keep`)).toHaveLength(6);
  });
});

describe('failures are named, and the run goes on', () => {
  it('a missing dataset fails only itself (exit 1, named in the summary)', async () => {
    await reset('a');
    const name = 'holdfast_2021-06-01_12:00:00_hourly';
    const conf = writeConfig(`[${P}]\nhourly = 1\nsnap = yes\n[${P}/gone]\nsnap = yes\nhourly = 1\n[nopool${P}]\nsnap = yes\n`);
    const r = await snap(conf, ['--take'], '2021-06-01 12:00:00 UTC');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`list ${P}/gone: dataset ${P}/gone does not exist \\(section \\[${P}/gone\\], line 4\\)`));
    expect(r.stderr).toMatch(new RegExp(`2 failed: ${P}/gone, nopool${P}`));
    expect(await snapshotsOf(`${P}/a`)).toEqual([name]);
    expect(await snapshotsOf(P)).toEqual([name]);
  });

  it('a held snapshot is kept and the explanation says why', async () => {
    await reset();
    const t = '2021-06-01 12:00:00 UTC';
    const conf = writeConfig(`[${P}]\nhourly = 1\nsnap = yes\nclean = yes\n`);
    expect((await snap(conf, ['--take'], t)).code).toBe(0);
    await zfs('hold', 'holdfast:backup', `${P}@holdfast_2021-06-01_12:00:00_hourly`);
    expect((await snap(conf, ['--take'], '2021-06-01 13:00:00 UTC')).code).toBe(0);
    const plan = await holdfast(['--config', conf, '--lock-dir', locks, 'plan']);
    expect(plan.stdout).toMatch(/keep +holdfast_2021-06-01_12:00:00_hourly +\(held \(1 hold\)\)/);
    expect((await snap(conf, ['--clean'])).code).toBe(0);
    expect(await snapshotsOf(P)).toEqual(['holdfast_2021-06-01_12:00:00_hourly', 'holdfast_2021-06-01_13:00:00_hourly']);
    await zfs('release', 'holdfast:backup', `${P}@holdfast_2021-06-01_12:00:00_hourly`);
  });
});

describe('the config stops everything before anything runs', () => {
  it('exits 2 with every error named, and takes nothing', async () => {
    await reset();
    const conf = writeConfig(`[${P}]\nhourly = 24 # a day\nsnap = yes\ndaily = x\n`);
    const r = await snap(conf);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${conf}:2: error: [${P}] hourly`);
    expect(r.stderr).toContain(`${conf}:4: error: [${P}] daily`);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(await snapshotsOf(P)).toEqual([]);
  });

  it('exits 2 for a missing config file and for an unknown flag', async () => {
    const r = await holdfast(['--config', '/nonexistent/holdfast.conf', 'snap']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^holdfast: \/nonexistent\/holdfast.conf: no such file; create one with `holdfast setup`/);
    expect((await holdfast(['snap', '--bogus'])).code).toBe(2);
  });
});

describe("the user's words", () => {
  it('log lines describe a recursive snapshot and destroy as such, without zfs flags', async () => {
    await reset('a', 'a/b', 'c');
    const conf = writeConfig(`[${P}]\nhourly = 1\nsnap = yes\nclean = yes\n`);
    const r = await snap(conf, [], '2021-07-01 10:00:00 UTC');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`INFO  took ${P}@holdfast_2021-07-01_10:00:00_hourly and 3 descendants in one recursive call\n`);
    const r2 = await snap(conf, [], '2021-07-01 11:00:00 UTC');
    expect(r2.code, r2.stderr).toBe(0);
    expect(r2.stderr).toContain(
      `INFO  destroyed ${P}@holdfast_2021-07-01_10:00:00_hourly and the same snapshot of 3 descendants in one recursive call (4 snapshots)\n`,
    );
    expect(r.stderr + r2.stderr).not.toMatch(/ -r /);
  });

  it('`holdfast plan` prints the plan as the README shows it; the zfs commands only with --dry-run', async () => {
    const conf = writeConfig(`[${P}]\nhourly = 1\nsnap = yes\nclean = yes\n`);
    const plan = await holdfast(['--config', conf, '--lock-dir', locks, 'plan'], { faketime: '2021-07-01 12:00:00' });
    expect(plan.code, plan.stderr).toBe(0);
    const lines = plan.stdout.split('\n');
    expect(lines[0]).toBe(`${P}  [${P}] snap=yes clean=yes`);
    expect(lines).toContain('  take    hourly   holdfast_2021-07-01_12:00:00_hourly  (no hourly snapshot in this hour yet)');
    expect(lines).toContain('  destroy holdfast_2021-07-01_11:00:00_hourly  (older than the newest 1 hourly)');
    expect(plan.stdout).not.toContain('zfs ');
    const dry = await holdfast(['--config', conf, '--lock-dir', locks, '--dry-run', 'plan'], { faketime: '2021-07-01 12:00:00' });
    expect(dry.stdout).toContain(`zfs snapshot -r ${P}@holdfast_2021-07-01_12:00:00_hourly\n`);
    expect(dry.stdout).toContain(`  take    hourly   holdfast_2021-07-01_12:00:00_hourly`);
  });
});
