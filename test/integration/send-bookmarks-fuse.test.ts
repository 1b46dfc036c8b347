import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { holdfast, lockDir, writeConfig } from '../helpers/cli.js';
import { type TestPool, createPool, zfs } from '../helpers/zfs-lab.js';
import { held } from './send-support.js';

// zfs-fuse has no bookmarks: send makes none, and hold_base = no is ignored with a note (the
// base stays held), so nothing on the zfs-fuse path changes. The bookmark paths: test/vm.
let pool: TestPool;
const locks = lockDir();
beforeAll(async () => {
  pool = await createPool('bmf', 96);
});
afterAll(async () => pool?.destroy());

describe('bookmarks on zfs-fuse', () => {
  it('hold_base = no: a note, the base held on both sides as before, no zfs bookmark anywhere', async () => {
    const src = `${pool.name}/s`;
    const dst = `${pool.name}/d`;
    await zfs('create', src);
    await zfs('snapshot', `${src}@one`);
    const conf = writeConfig(`[${src}]\ndest = ${dst}\nhold_base = no\n`);
    const dry = await holdfast(['--config', conf, '--lock-dir', locks, '--dry-run', 'send']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout + dry.stderr).not.toContain('zfs bookmark');
    const r = await holdfast(['--config', conf, '--lock-dir', locks, 'send']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('hold_base = no needs bookmarks, which zfs-fuse lacks: the base stays held on the source');
    expect(await held(src)).toEqual(['@one']);
    expect(await held(dst)).toEqual(['@one']);
  });
});
