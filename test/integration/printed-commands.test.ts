import { mkdirSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { holdfast, lockDir, writeConfig } from '../helpers/cli.js';
import { must } from '../helpers/run.js';
import { LAB_DIR, type TestPool, createPool, zfs } from '../helpers/zfs-lab.js';

// What --dry-run prints is what a run executes (issue 11): every single zfs command of a plan,
// as printed, is the command line the runner starts, as its -v log names it (one line per
// command: the argv the runner got, joined by the one quoting function). Transfers are one
// pipeline, printed and run from the same data (test/unit/replication-pipeline.test.ts).
let pool: TestPool;
let P: string;
const locks = lockDir();

// Read-only calls a dry run makes too (listings, the capability probe, size estimates).
const READ_ONLY = /^zfs (?:version|get|holds|list|send -nvP)\b/;

// The zfs commands that changed something, as the runner logged them (-v).
function ran(stderr: string): string[] {
  const out: string[] = [];
  for (const line of stderr.split('\n')) {
    const cmd = / DEBUG (zfs .*) → exit \d+ in \d+ ms$/.exec(line)?.[1];
    if (cmd && !READ_ONLY.test(cmd)) out.push(cmd);
  }
  return out;
}

// The single zfs commands of a printed plan (no comments, no pipelines).
const single = (lines: readonly string[]): string[] => lines.filter((l) => l.startsWith('zfs ') && !l.includes(' | '));
const printed = (stdout: string): string[] => single(stdout.split('\n'));

// Both sides' holds run at once: their log lines may come in either order.
const sorted = (xs: readonly string[]): string[] => [...xs].sort();

beforeAll(async () => {
  pool = await createPool('pc', 256);
  P = pool.name;
});
afterAll(async () => pool?.destroy());

describe('the printed plan is what runs (zfs-fuse)', () => {
  const send = (src: string, dst: string, ...flags: string[]) => ['--lock-dir', locks, 'send', '-s', src, '-d', dst, ...flags];

  it('send: created parents, holds, releases; --force: the release before the destroys, the unmount before a forced full', async () => {
    const src = `${P}/s1`;
    const dst = `${P}/d1/x/y`;
    await zfs('create', src);
    await zfs('create', `${src}/c`);
    await zfs('snapshot', '-r', `${src}@a`);
    // First send: the missing parents (dest_auto_create), then the holds on both sides.
    const dry1 = await holdfast(['--dry-run', ...send(src, dst, '--dest-auto-create')]);
    expect(dry1.code, dry1.stderr).toBe(0);
    const real1 = await holdfast(['-v', ...send(src, dst, '--dest-auto-create')]);
    expect(real1.code, real1.stderr).toBe(0);
    expect(printed(dry1.stdout)).toContain(`zfs create -p ${P}/d1/x`);
    expect(sorted(ran(real1.stderr))).toEqual(sorted(printed(dry1.stdout)));
    // Incremental: the new bases held, the old ones released.
    await zfs('snapshot', '-r', `${src}@b`);
    const dry2 = await holdfast(['--dry-run', ...send(src, dst)]);
    const real2 = await holdfast(['-v', ...send(src, dst)]);
    expect(real2.code, real2.stderr).toBe(0);
    expect(printed(dry2.stdout).some((c) => c.startsWith('zfs release '))).toBe(true);
    expect(sorted(ran(real2.stderr))).toEqual(sorted(printed(dry2.stdout)));
    // A destination with snapshots of its own, none in common: --force destroys them (after
    // releasing holdfast's own holds there) and receives in full over the dataset.
    const other = `${P}/d2`;
    await zfs('create', other);
    await zfs('snapshot', `${other}@mine`);
    const dry3 = await holdfast(['--dry-run', ...send(`${src}/c`, other, '--force')]);
    expect(dry3.code, dry3.stderr).toBe(0);
    const real3 = await holdfast(['-v', ...send(`${src}/c`, other, '--force')]);
    expect(real3.code, real3.stderr).toBe(0);
    expect(ran(real3.stderr)).toEqual(
      expect.arrayContaining([`zfs release holdfast:${other} ${other}@mine`, `zfs destroy ${other}@mine`, `zfs unmount ${other}`]),
    );
    expect(sorted(ran(real3.stderr))).toEqual(sorted(printed(dry3.stdout)));
  });

  it('send: the rollback of a destination written to is reported as it ran', async () => {
    const src = `${P}/s4`;
    const dst = `${P}/d4`;
    await zfs('create', src);
    await zfs('snapshot', `${src}@a`);
    expect((await holdfast(send(src, dst, '--mount'))).code).toBe(0);
    const [mp, mounted] = (await zfs('get', '-H', '-o', 'value', 'mountpoint,mounted', dst)).trim().split('\n');
    if (mounted !== 'yes') await zfs('mount', dst);
    await must(['dd', 'if=/dev/zero', `of=${mp}/scribble`, 'bs=64k', 'count=1', 'status=none']);
    await zfs('snapshot', `${dst}@sync`); // zfs-fuse accounts the write after a txg sync
    await zfs('destroy', `${dst}@sync`);
    await zfs('snapshot', `${src}@b`);
    const real = await holdfast(['-v', '--json', ...send(src, dst)]);
    expect(real.code, real.stderr).toBe(0);
    const job = JSON.parse(real.stdout).jobs[0];
    const reported = single([...job.prelude, ...job.datasets.flatMap((d: { commands: string[] }) => d.commands), ...job.holds]);
    expect(reported).toContain(`zfs rollback ${dst}@a`);
    expect(sorted(ran(real.stderr))).toEqual(sorted(reported));
  });

  it('snap: the snapshots taken and destroyed', async () => {
    const ds = `${P}/snap`;
    await zfs('create', ds);
    await zfs('create', `${ds}/c`);
    const conf = writeConfig(`[${ds}]\nfrequent = 1\nhourly = 1\nsnap = yes\nclean = yes\n`);
    const at = (t: string) => ({ faketime: `2014-01-01 ${t}` });
    expect((await holdfast(['--config', conf, '--lock-dir', locks, 'snap'], at('10:00:00'))).code).toBe(0);
    const dry = await holdfast(['--config', conf, '--lock-dir', locks, '--dry-run', 'snap'], at('11:00:00'));
    const real = await holdfast(['--config', conf, '--lock-dir', locks, '-v', 'snap'], at('11:00:00'));
    expect(real.code, real.stderr).toBe(0);
    expect(printed(dry.stdout).some((c) => c.startsWith('zfs destroy '))).toBe(true);
    expect(ran(real.stderr)).toEqual(printed(dry.stdout));
  });

  it('a store: the holds of a send, the mount that ends a restore', async () => {
    const ds = `${P}/up`;
    await zfs('create', ds);
    await zfs('snapshot', `${ds}@a`);
    mkdirSync(join(LAB_DIR, 'stores'), { recursive: true });
    const dest = `file://${mkdtempSync(join(LAB_DIR, 'stores', 'pc-'))}`;
    expect((await holdfast(send(ds, dest))).code).toBe(0);
    await zfs('snapshot', `${ds}@b`);
    const dry = await holdfast(['--dry-run', ...send(ds, dest)]);
    const real = await holdfast(['-v', ...send(ds, dest)]);
    expect(real.code, real.stderr).toBe(0);
    expect(printed(dry.stdout).some((c) => c.startsWith('zfs release '))).toBe(true);
    expect(ran(real.stderr)).toEqual(printed(dry.stdout));
    const restore = (...flags: string[]) => holdfast(['--lock-dir', locks, ...flags, 'restore', dest, `${ds}@b`, '--to', `${P}/back`]);
    const dryRestore = await restore('--dry-run');
    expect(dryRestore.code, dryRestore.stderr).toBe(0);
    const realRestore = await restore('-v');
    expect(realRestore.code, realRestore.stderr).toBe(0);
    expect(ran(realRestore.stderr)).toEqual([`zfs mount ${P}/back`]);
    expect(printed(dryRestore.stdout)).toEqual(ran(realRestore.stderr));
  });
});
