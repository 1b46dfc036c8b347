import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestPool, createPool, countsByType, zfs } from '../helpers/zfs-lab.js';
import { cli, write } from './views-support.js';

// snap_if_changed on zfs-fuse, which has no `written` property: the fallback takes the
// snapshot anyway and says so once per run (docs/views.md explains why no cheap check is
// exact there). The skipping itself runs against real OpenZFS in test/vm/changed.test.ts.
let pool: TestPool;
let P: string;
beforeAll(async () => {
  pool = await createPool('ch', 128);
  P = pool.name;
  for (const d of ['idle', 'idle/a', 'plain']) await zfs('create', `${P}/${d}`);
});
afterAll(async () => pool?.destroy());

describe('snap_if_changed on zfs-fuse', () => {
  it('takes due snapshots of an idle dataset anyway, says so once, and costs no extra zfs call', async () => {
    const c = cli(
      `[DEFAULT]\nsnap_if_changed = yes\n\n[${P}/idle]\nfrequent = 4\nhourly = 2\nsnap = yes\nclean = yes\n\n[${P}/plain]\nfrequent = 4\nsnap = yes\nsnap_if_changed = no\n`,
    );
    expect((await c.run(['snap'], { faketime: '2020-01-01 10:00:00' })).code).toBe(0);
    const r = await c.run(['snap'], { faketime: '2020-01-01 10:15:00' }); // nothing written in between
    expect(r.code, r.stderr).toBe(0);
    const warnings = r.stderr.split('\n').filter((l) => l.includes('cannot tell whether data changed'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/snap_if_changed: zfs-fuse on this host .* 2 datasets are snapshotted anyway/);
    expect(await countsByType(`${P}/idle`)).toEqual({ frequent: 2, hourly: 1 });
    expect(await countsByType(`${P}/idle/a`)).toEqual({ frequent: 2, hourly: 1 });
    // zfs version, one zfs get, one recursive snapshot for idle and one for plain: as without the option.
    expect(r.stderr).toMatch(/took 3, destroyed 0 snapshots on 3 datasets in [\d.]+ s \(4 zfs\/btrfs calls\)/);
  });

  it('is silent where no section asks for it', async () => {
    await write(`${P}/plain`, 4);
    const c = cli(`[${P}/plain]\nfrequent = 4\nsnap = yes\n`);
    const r = await c.run(['snap'], { faketime: '2020-01-01 11:00:00' });
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain('snap_if_changed');
  });

  it('rejects a threshold that is not a size, with the line', async () => {
    const c = cli(`[${P}/idle]\nfrequent = 4\nsnap = yes\nwritten_threshold = lots\n`);
    const r = await c.run(['check']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/:4: error: .*written_threshold.*"lots" is not a size/);
  });
});
