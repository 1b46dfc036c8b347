import { join } from 'node:path';
import { holdfast, lockDir, writeConfig } from '../helpers/cli.js';
import { must } from '../helpers/run.js';
import { zfs } from '../helpers/zfs-lab.js';

// Shared by the views' test files (zfs-fuse lane): data, clocks and stable output.

// Write `kib` KiB of random data into a dataset through its mountpoint (zfs-fuse unmounts now
// and then when other test files destroy their pools: mount first).
export async function write(dataset: string, kib: number, file = 'data'): Promise<void> {
  const [mp, mounted] = (await zfs('get', '-H', '-o', 'value', 'mountpoint,mounted', dataset)).trim().split('\n');
  if (mounted !== 'yes') await zfs('mount', dataset);
  await must(['dd', 'if=/dev/urandom', `of=${join(mp!, file)}`, 'bs=1K', `count=${kib}`, 'status=none']);
}

// A faketime for the views that makes every age a stable "10d00h": the newest creation under
// `root` plus ten days and 30 minutes (zfs-fuse stamps creation with the daemon's real clock,
// which faketime cannot move; the spread of a test's creations is far below 30 minutes).
export async function stableNow(root: string): Promise<string> {
  const out = await zfs('get', '-Hp', '-r', '-o', 'name,value', 'creation', root); // zfs-fuse has no `get -t`
  const newest = Math.max(
    ...out
      .split('\n')
      .filter((l) => l.includes('@'))
      .map((l) => Number(l.split('\t')[1])),
  );
  return fakeAt((newest + 10 * 86400 + 1800) * 1000);
}

// "YYYY-MM-DD HH:MM:SS" (UTC) for libfaketime's absolute form.
export const fakeAt = (ms: number): string => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');

// The test pool's random name out of the output, keeping its length so columns stay aligned.
export const maskPool = (text: string, pool: string): string => text.split(pool).join('POOL'.padEnd(pool.length, '_'));

// A config file and a runner bound to it and to a private lock directory.
export function cli(conf: string) {
  const locks = lockDir();
  const path = writeConfig(conf);
  return {
    path,
    run: (args: readonly string[], o: Parameters<typeof holdfast>[1] = {}) =>
      holdfast(['--config', path, '--lock-dir', locks, ...args], { ...o, env: { NO_COLOR: '1', ...o.env } }),
  };
}
