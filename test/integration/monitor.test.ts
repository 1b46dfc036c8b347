import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import { type TestSshd, startSshd } from '../helpers/sshd.js';
import { type TestPool, createPool, zfs } from '../helpers/zfs-lab.js';
import { cli, fakeAt } from './views-support.js';

// `holdfast monitor` as Nagios runs it: exit 0/1/2/3 and one status line with perfdata, for
// fresh, stale and missing snapshots, replication lag and the last run's failures.
let pool: TestPool;
let sshd: TestSshd;
let P: string;
let c: ReturnType<typeof cli>;
let created = 0; // the newest snapshot's creation (the zfs-fuse daemon's real clock)
const dir = mkdtempSync(join(tmpdir(), 'hf-mon-'));
const later = (sec: number) => ({ faketime: fakeAt((created + sec) * 1000) });
const H = 3600;

beforeAll(async () => {
  [pool, sshd] = await Promise.all([createPool('mo', 128), startSshd()]);
  P = pool.name;
  await zfs('create', `${P}/src`);
  await zfs('create', `${P}/src/child`);
  c = cli(`[${P}/src]\nhourly = 24\ndaily = 7\nsnap = yes\ndest = ${P}/dst/src\ndest_auto_create = yes\n`);
  expect((await c.run(['snap'])).code).toBe(0);
  expect((await c.run(['send'])).code).toBe(0);
  const out = await zfs('get', '-Hp', '-r', '-o', 'name,value', 'creation', `${P}/src`);
  created = Math.max(
    ...out
      .split('\n')
      .filter((l) => l.includes('@'))
      .map((l) => Number(l.split('\t')[1])),
  );
});
afterAll(async () => {
  await sshd?.stop();
  await pool?.destroy();
});

describe('monitor', () => {
  it('fresh snapshots and a destination in sync: OK, exit 0, perfdata per type and per lag', async () => {
    const r = await c.run(['monitor'], later(60));
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toMatch(/^HOLDFAST OK - 6 ok \| /);
    expect(r.stdout).toContain(`'${P}/src hourly'=60s;5400;21600;0`);
    expect(r.stdout).toContain(`'lag ${P}/src/child -> ${P}/dst/src/child'=0s;93600;180000;0`);
  });

  it.each([
    [
      'an hourly 2 h old: WARNING',
      2 * H,
      1,
      /^HOLDFAST WARNING - 2 warning, 4 ok: .*src hourly: @holdfast_\S+_hourly is 2h00m old \(warning at 90m\)/,
    ],
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
    expect(warn.stdout).toMatch(
      new RegExp(`WARNING: ${P}/src -> ${P}/dst/src: lag \\dh\\d\\dm, 1 snapshot behind, oldest missing @not-sent \\(warning at 1h\\)`),
    );
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
      [
        await badConf.run(['monitor']),
        /^HOLDFAST UNKNOWN - cannot check: \S+holdfast.conf:2: error: \[tank\/data\] hourly: "many" is not a whole number\n/,
      ],
      [await c.run(['monitor', '--warn', 'hourly=soon']), /^HOLDFAST UNKNOWN - --warn hourly=soon: "soon" is not an age/],
      [await c.run(['monitor', '--run', join(dir, 'none.prom')], later(60)), /^HOLDFAST UNKNOWN - 1 unknown, 6 ok: .*cannot read it/],
    ] as const) {
      expect(r.code, r.stdout).toBe(3);
      expect(r.stdout).toMatch(want);
    }
  });

  // Issue 10 item 3: a destination that is not there is a fault (CRITICAL); one monitor cannot
  // reach says nothing either way (UNKNOWN); each names the reason in the status line.
  const sections = (dest: string) => `[${P}/src]\nhourly = 24\ndaily = 7\nsnap = yes\ndest = ${dest}\n`;

  it('a destination that does not exist is CRITICAL, locally and over ssh', async () => {
    const local = await cli(sections(`${P}/nowhere/src`)).run(['monitor'], later(60));
    expect(local.code, local.stdout).toBe(2);
    expect(local.stdout).toMatch(
      new RegExp(
        `^HOLDFAST CRITICAL - 1 critical, 4 ok: ${P}/src -> ${P}/nowhere/src: the destination does not exist; nothing has been received \\(holdfast send`,
      ),
    );
    const remote = await cli(sections(sshd.location(`${P}/nowhere/src`))).run(['monitor', ...sshd.flags], later(60));
    expect(remote.code, remote.stdout).toBe(2);
    expect(remote.stdout).toMatch(
      new RegExp(`^HOLDFAST CRITICAL - 1 critical, 4 ok: ${P}/src -> ${sshd.location(`${P}/nowhere/src`)}: the destination does not exist`),
    );
  });

  it('a destination that exists but never received a snapshot is CRITICAL', async () => {
    await zfs('create', `${P}/empty`);
    const r = await cli(sections(`${P}/empty`)).run(['monitor'], later(60));
    expect(r.code, r.stdout).toBe(2);
    expect(r.stdout).toMatch(
      new RegExp(
        `^HOLDFAST CRITICAL - 1 critical, \\d+ ok: ${P}/src -> ${P}/empty: conflict: the target exists but has no snapshots: send will not overwrite it`,
      ),
    );
  });

  it("a destination host that cannot be reached is UNKNOWN, with ssh's reason", async () => {
    const closed = await closedPort();
    const r = await cli(sections(`ssh:${closed}:root@127.0.0.1:${P}/src`)).run(['monitor', ...sshd.flags], later(60));
    expect(r.code, r.stdout).toBe(3);
    expect(r.stdout).toMatch(
      new RegExp(
        `^HOLDFAST UNKNOWN - 1 unknown, 4 ok: ${P}/src -> ssh:${closed}:root@127.0.0.1:${P}/src: cannot list the destination: ssh: connect to host 127.0.0.1 port ${closed}: Connection refused`,
      ),
    );
  });

  // Item 7: warnings do not stop the runs, so monitor is where they must show.
  it('config warnings make it WARNING at least, with the first one in the status line', async () => {
    const m = cli(`[${P}/src]\nhourly = 24\ndaily = 7\nsnap = yes\nclean = true\nhourley = 3\n`);
    const r = await m.run(['monitor'], later(60));
    expect(r.code, r.stdout).toBe(1);
    expect(r.stdout).toMatch(
      new RegExp(
        `^HOLDFAST WARNING - 1 warning, 4 ok: ${m.path}:5: warning: \\[${P}/src\\] clean: "true" is not yes or no.* \\(and 1 more warning: holdfast check lists them\\)`,
      ),
    );
    const crit = await m.run(['monitor'], later(7 * H));
    expect(crit.code).toBe(2);
  });
});

// A port nothing listens on: bound, then closed.
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const a = srv.address();
      srv.close(() => (typeof a === 'object' && a ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}
