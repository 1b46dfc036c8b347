import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { must, run } from './run.js';

export const LAB_DIR = process.env.HOLDFAST_LAB_DIR ?? '/var/tmp/holdfast-test';

// Start zfs-fuse if no daemon answers; every test pool lives on it (one daemon per machine).
export async function ensureZfsFuse(): Promise<void> {
  if ((await run(['zpool', 'list', '-H'])).code === 0) return;
  // A pidfile left by a daemon that died stops zfs-fuse starting.
  await run([
    'sh',
    '-c',
    'if [ -f /run/zfs-fuse.pid ] && ! kill -0 "$(cat /run/zfs-fuse.pid)" 2>/dev/null; then rm -f /run/zfs-fuse.pid; fi',
  ]);
  await run(['zfs-fuse', '--pidfile', '/run/zfs-fuse.pid']);
  for (let i = 0; i < 100; i++) {
    if ((await run(['zpool', 'list', '-H'])).code === 0) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('zfs-fuse did not start: is the zfs-fuse package installed and /dev/fuse present?');
}

// A file-backed pool with a unique name, destroyed by `destroy()` (also after a failure).
export interface TestPool {
  readonly name: string;
  destroy(): Promise<void>;
}

export async function createPool(tag: string, sizeMiB = 256): Promise<TestPool> {
  mkdirSync(LAB_DIR, { recursive: true });
  const name = `hf${tag}${randomBytes(3).toString('hex')}`;
  const img = join(LAB_DIR, `${name}.img`);
  await must(['truncate', '-s', `${sizeMiB}M`, img]);
  await must(['zpool', 'create', '-m', join(LAB_DIR, 'mnt', name), name, img]);
  return {
    name,
    destroy: async () => {
      // zfs-fuse answers "busy" for a mounted tree now and then: unmount this pool's file
      // systems (children first; never other tests' pools), then retry.
      for (let i = 0; i < 5; i++) {
        const list = await run(['zfs', 'list', '-H', '-o', 'name', '-t', 'filesystem', '-r', name]);
        for (const ds of list.stdout.split('\n').filter(Boolean).reverse()) await run(['zfs', 'unmount', '-f', ds]);
        if ((await run(['zpool', 'destroy', '-f', name])).code === 0) break;
        await new Promise((r) => setTimeout(r, 300));
      }
      rmSync(img, { force: true });
    },
  };
}

// Run zfs and insist it succeeds.
export function zfs(...args: string[]): Promise<string> {
  return must(['zfs', ...args]);
}

// Snapshot names (after "@") of one dataset, oldest first.
export async function snapshotsOf(dataset: string): Promise<string[]> {
  const out = await zfs('list', '-H', '-o', 'name', '-t', 'snapshot', '-s', 'creation', '-d', '1', '-r', dataset);
  return out
    .split('\n')
    .filter((l) => l.startsWith(`${dataset}@`))
    .map((l) => l.slice(dataset.length + 1));
}

// Every dataset under a root, parents first.
export async function datasetsUnder(root: string): Promise<string[]> {
  const out = await zfs('list', '-H', '-o', 'name', '-r', '-t', 'filesystem,volume', root);
  return out.split('\n').filter(Boolean);
}

// Count managed snapshots per type on a dataset.
export async function countsByType(dataset: string, prefix = 'holdfast'): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const s of await snapshotsOf(dataset)) {
    if (!s.startsWith(`${prefix}_`)) continue;
    const type = s.slice(s.lastIndexOf('_') + 1);
    counts[type] = (counts[type] ?? 0) + 1;
  }
  return counts;
}

// Destroy a dataset tree on zfs-fuse, which answers "busy" for mounted file systems: unmount
// first, and retry a few times.
export async function destroyTree(dataset: string): Promise<void> {
  for (let i = 0; i < 5; i++) {
    await run(['zfs', 'unmount', '-f', dataset]);
    const r = await run(['zfs', 'destroy', '-r', dataset]);
    if (r.code === 0 || /does not exist/.test(r.stderr)) return;
    await new Promise((res) => setTimeout(res, 200));
  }
  throw new Error(`cannot destroy ${dataset}`);
}

// Managed snapshot counts per type for every dataset under a root, from one listing.
export async function countsUnder(root: string, prefix = 'holdfast'): Promise<Map<string, Record<string, number>>> {
  const out = await zfs('list', '-H', '-o', 'name', '-t', 'snapshot', '-r', root);
  const counts = new Map<string, Record<string, number>>();
  for (const line of out.split('\n')) {
    const at = line.indexOf('@');
    if (at < 0 || !line.startsWith(`${prefix}_`, at + 1)) continue;
    const ds = line.slice(0, at);
    const type = line.slice(line.lastIndexOf('_') + 1);
    const c = counts.get(ds) ?? {};
    c[type] = (c[type] ?? 0) + 1;
    counts.set(ds, c);
  }
  return counts;
}
