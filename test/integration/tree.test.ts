import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN } from '../helpers/cli.js';
import { run } from '../helpers/run.js';
import { type TestSshd, startSshd } from '../helpers/sshd.js';
import { type TestPool, createPool, zfs } from '../helpers/zfs-lab.js';
import { cli, maskPool, stableNow, write } from './views-support.js';

// tree and compare on known pools built here: a source tree sent to a destination, then a
// diverged destination (a target-only newer snapshot), a guid conflict (same name, other
// snapshot), a dataset only on each side. Plain text (no colour) and --json are compared with
// files in __snapshots__/; ages are pinned at "10d00h" (views-support.stableNow).
let pool: TestPool;
let P: string;
let sshd: TestSshd;
let conf: ReturnType<typeof cli>;
let now: string;
const at = (t: string) => ({ faketime: `2020-01-01 ${t}` });

beforeAll(async () => {
  [pool, sshd] = await Promise.all([createPool('tr', 128), startSshd()]);
  P = pool.name;
  for (const d of ['src', 'src/a', 'src/a/deep', 'src/b', 'src/with space']) await zfs('create', `${P}/${d}`);
  await write(`${P}/src/a`, 64);
  conf = cli(`[${P}/src]\nhourly = 2\ndaily = 1\nsnap = yes\nclean = yes\ndest = ${P}/dst/src\ndest_auto_create = yes\n`);
  for (const t of ['10:00:00', '11:00:00']) expect((await conf.run(['snap'], at(t))).code).toBe(0);
  await zfs('snapshot', `${P}/src/a@manual`);
  const sent = await conf.run(['send']);
  expect(sent.code, sent.stderr).toBe(0);
  expect((await conf.run(['snap'], at('12:00:00'))).code).toBe(0); // not sent: the destination is behind
  // Diverge the destination.
  await zfs('snapshot', `${P}/dst/src/a/deep@dest-only`);
  const b = `${P}/dst/src/b@holdfast_2020-01-01_11:00:00_hourly`;
  await zfs('release', `holdfast:${P}/dst/src`, b).catch(() => undefined);
  await zfs('destroy', b);
  await zfs('snapshot', b); // same name, another guid
  await zfs('create', `${P}/src/new`);
  await zfs('snapshot', `${P}/src/new@first`);
  await zfs('create', '-p', `${P}/dst/src/orphan`);
  now = await stableNow(`${P}/src`);
});
afterAll(async () => {
  await sshd?.stop();
  await pool?.destroy();
});

// Ages and creation times are pinned by `now`; sizes vary with zfs-fuse's metadata: masked in JSON.
const jsonMasked = (text: string): string =>
  maskPool(text, P)
    .replace(/"(created|used|referenced)": \d+/g, '"$1": 0')
    .replace(/"(ageSec|sec)": \d+/g, (m, k: string) => `"${k}": ${Number(m.split(': ')[1]) >= 864000 ? '"≥10d"' : m.split(': ')[1]}`);
const sizes = (text: string): string => text.replace(/\b\d+(\.\d+)?[BKMG]\b/g, (m) => '#'.repeat(m.length));

describe('tree', () => {
  it('shows the source tree with counts per type, age, space and ratio (plain, no colour)', async () => {
    const r = await conf.run(['tree'], { faketime: now });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toContain('\u001b[');
    await expect(sizes(maskPool(r.stdout, P))).toMatchFileSnapshot('__snapshots__/tree-source.txt');
  });

  it('shows every destination with `tree target`, and --json', async () => {
    const r = await conf.run(['--json', 'tree', 'target'], { faketime: now });
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as { trees: { datasets: { used: number; referenced: number; compressratio: number }[] }[] };
    for (const d of j.trees[0]!.datasets) expect(d.used).toBeGreaterThanOrEqual(d.referenced > 0 ? 1 : 0);
    await expect(jsonMasked(r.stdout)).toMatchFileSnapshot('__snapshots__/tree-target.json');
  });

  it('reads a remote tree over ssh the same as the local one', async () => {
    const local = await conf.run(['--json', 'tree', `${P}/src`], { faketime: now });
    const remote = await conf.run(['--json', 'tree', sshd.location(`${P}/src`), ...sshd.flags], { faketime: now });
    expect(remote.code, remote.stderr).toBe(0);
    const rows = (t: string) => (JSON.parse(t) as { trees: { datasets: unknown[] }[] }).trees[0]!.datasets;
    expect(rows(remote.stdout)).toEqual(rows(local.stdout));
  });

  it('colours on a terminal only, and never with NO_COLOR', async () => {
    const line = [process.execPath, BIN, '--config', conf.path, 'tree'].map((a) => `'${a}'`).join(' ');
    const { NO_COLOR: _, ...env } = process.env;
    const tty = await run(['script', '-qec', line, '/dev/null'], { env: { ...env, TERM: 'xterm' } });
    expect(tty.stdout).toContain('\u001b[1m');
    const no = await run(['script', '-qec', line, '/dev/null'], { env: { ...env, TERM: 'xterm', NO_COLOR: '1' } });
    expect(no.stdout).toContain('DATASET');
    expect(no.stdout).not.toContain('\u001b[');
  });

  it('names a missing dataset and exits 1', async () => {
    const r = await conf.run(['tree', `${P}/nope`]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`${P}/nope does not exist`);
  });
});

describe('compare', () => {
  it('puts source and destination side by side: missing datasets, common base, lag, conflicts', async () => {
    const r = await conf.run(['compare', '--snapshots'], { faketime: now });
    expect(r.code, r.stderr).toBe(0);
    await expect(maskPool(r.stdout, P)).toMatchFileSnapshot('__snapshots__/compare.txt');
  });

  it('--json carries the same, per dataset', async () => {
    const r = await conf.run(['--json', 'compare', `${P}/src`], { faketime: now });
    expect(r.code, r.stderr).toBe(0);
    const states = (JSON.parse(r.stdout) as { pairs: { datasets: { source: string; state: string }[] }[] }).pairs[0]!.datasets.map((d) => [
      d.source.slice(P.length),
      d.state,
    ]);
    expect(states).toEqual([
      ['/src', 'behind'],
      ['/src/a', 'behind'],
      ['/src/a/deep', 'conflict'],
      ['/src/b', 'conflict'],
      ['/src/new', 'missing-on-target'],
      ['/src/orphan', 'missing-on-source'],
      ['/src/with space', 'behind'],
    ]);
    await expect(jsonMasked(r.stdout)).toMatchFileSnapshot('__snapshots__/compare.json');
  });

  it('compares a source with a destination given by hand, over ssh', async () => {
    const r = await conf.run(['--json', 'compare', `${P}/src`, sshd.location(`${P}/dst/src`), ...sshd.flags], { faketime: now });
    expect(r.code, r.stderr).toBe(0);
    const local = await conf.run(['--json', 'compare'], { faketime: now });
    const strip = (t: string) =>
      (JSON.parse(t) as { pairs: { datasets: { state: string; counts: unknown; base: unknown }[] }[] }).pairs[0]!.datasets.map((d) => [
        d.state,
        d.counts,
        d.base,
      ]);
    expect(strip(r.stdout)).toEqual(strip(local.stdout));
  });
});
