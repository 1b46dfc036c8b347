import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestPool, createPool, zfs } from '../helpers/zfs-lab.js';
import { cli, fakeAt } from './views-support.js';

// `holdfast monitor` as Nagios runs it: exit 0/1/2/3 and one status line with perfdata, for
// fresh, stale and missing snapshots, replication lag and the last run's failures.
let pool: TestPool;
let P: string;
let c: ReturnType<typeof cli>;
let created = 0; // the newest snapshot's creation (the zfs-fuse daemon's real clock)
const dir = mkdtempSync(join(tmpdir(), 'hf-mon-'));
const later = (sec: number) => ({ faketime: fakeAt((created + sec) * 1000) });
const H = 3600;

beforeAll(async () => {
  pool = await createPool('mo', 128);
  P = pool.name;
  await zfs('create', `${P}/src`);
  await zfs('create', `${P}/src/child`);
  c = cli(`[${P}/src]\nhourly = 24\ndaily = 7\nsnap = yes\ndest = ${P}/dst/src\ndest_auto_create = yes\n`);
  expect((await c.run(['snap'])).code).toBe(0);
  expect((await c.run(['send'])).code).toBe(0);
  const out = await zfs('get', '-Hp', '-r', '-o', 'name,value', 'creation', `${P}/src`);
  created = Math.max(...out.split('\n').filter((l) => l.includes('@')).map((l) => Number(l.split('\t')[1])));
});
afterAll(async () => pool?.destroy());

describe('monitor', () => {
  it('fresh snapshots and a destination in sync: OK, exit 0, perfdata per type and per lag', async () => {
    const r = await c.run(['monitor'], later(60));
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toMatch(/^HOLDFAST OK - 6 ok \| /);
    expect(r.stdout).toContain(`'${P}/src hourly'=60s;5400;21600;0`);
    expect(r.stdout).toContain(`'lag ${P}/src/child -> ${P}/dst/src/child'=0s;93600;180000;0`);
  });

  it.each([
    ['an hourly 2 h old: WARNING', 2 * H, 1, /^HOLDFAST WARNING - 2 warning, 4 ok: .*src hourly: @holdfast_\S+_hourly is 2h00m old \(warning at 90m\)/],
    ['an hourly 7 h old: CRITICAL', 7 * H, 2, /^HOLDFAST CRITICAL - 2 critical, 4 ok: .*hourly: @\S+ is 7h00m old \(critical at 6h\)/],
  ])('%s', async (_, age, code, line) => {
    const r = await c.run(['monitor'], later(age));
    expect(r.code, r.stdout).toBe(code);
    expect(r.stdout).toMatch(line);
  });

  it('a type the policy takes but that has no snapshot: CRITICAL', async () => {
    const m = cli(`[${P}/src]\nhourly = 24\ndaily = 7\nmonthly = 6\nsnap = yes\n`);
    const r = await m.run(['monitor'], later(60));
    expect(r.code).toBe(2);
    expect(r.stdout).toContain(`CRITICAL: ${P}/src monthly: no monthly snapshot`);
  });

  it('replication lag per destination, with limits from the command line', async () => {
    await zfs('snapshot', '-r', `${P}/src@not-sent`);
    const limits = ['--warn', 'lag=1h,hourly=0,daily=0', '--crit', 'lag=5h,hourly=0,daily=0'];
    const ok = await c.run(['monitor', ...limits], later(30 * 60));
    expect(ok.code, ok.stdout).toBe(0);
    const warn = await c.run(['monitor', ...limits], later(2 * H));
    expect(warn.code, warn.stdout).toBe(1);
    expect(warn.stdout).toMatch(new RegExp(`WARNING: ${P}/src -> ${P}/dst/src: lag \\dh\\d\\dm, 1 snapshot behind, oldest missing @not-sent \\(warning at 1h\\)`));
    const crit = await c.run(['monitor', ...limits], later(6 * H));
    expect(crit.code).toBe(2);
    await zfs('destroy', '-r', `${P}/src@not-sent`);
  });

  it("the last run's failures, from the textfile snap wrote", async () => {
    const good = join(dir, 'good.prom');
    expect((await c.run(['snap', '--prometheus', good])).code).toBe(0);
    const ok = await c.run(['monitor', '--run', good]);
    expect(ok.stdout).toMatch(/^HOLDFAST OK/);
    const bad = join(dir, 'bad.prom');
    const broken = cli(`[${P}/src]\nhourly = 24\nsnap = yes\n\n[${P}/gone]\nhourly = 1\nsnap = yes\n`);
    expect((await broken.run(['snap', '--prometheus', bad])).code).toBe(1);
    expect(readFileSync(bad, 'utf8')).toContain('holdfast_datasets{command="snap",status="failed"} 1');
    const r = await c.run(['monitor', '--run', bad]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/WARNING: last snap run \d+s ago: 1 dataset failed/);
  });

  it('is UNKNOWN (exit 3) when it cannot judge: a bad config, a bad limit, a missing run file', async () => {
    const badConf = cli('[tank/data]\nhourly = many\n');
    for (const [r, want] of [
      [await badConf.run(['monitor']), /^HOLDFAST UNKNOWN - .*1 error/],
      [await c.run(['monitor', '--warn', 'hourly=soon']), /^HOLDFAST UNKNOWN - --warn hourly=soon: "soon" is not an age/],
      [await c.run(['monitor', '--run', join(dir, 'none.prom')], later(60)), /^HOLDFAST UNKNOWN - 1 unknown, 6 ok: .*cannot read it/],
    ] as const) {
      expect(r.code, r.stdout).toBe(3);
      expect(r.stdout).toMatch(want);
    }
  });
});
