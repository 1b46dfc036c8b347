import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { must, run } from './run.js';

// Real btrfs filesystems for the `btrfs` lane: an image file per filesystem, loop-mounted,
// unmounted and removed afterwards (afterAll → unmountAll), also when a test fails. Images and
// mount points live under BTRFS_LAB, one directory per filesystem, stamped with the owning pid
// so that a later run reaps what a killed run left behind, and only that.
export const BTRFS_LAB = process.env.HOLDFAST_BTRFS_LAB ?? '/var/tmp/holdfast-btrfs';

export interface BtrfsFs {
  readonly dir: string; // the lab directory of this filesystem
  readonly img: string;
  readonly mnt: string; // the mounted top-level subvolume
}

const live = new Set<BtrfsFs>();
let reaped = false;

// mkfs + mount -o loop. 256 MiB is the smallest size with the default (dup metadata) profile
// that still leaves room for data; smaller ones use --mixed.
export async function mountBtrfs(tag: string, sizeMiB = 256): Promise<BtrfsFs> {
  mkdirSync(BTRFS_LAB, { recursive: true });
  if (!reaped) reapStale();
  reaped = true;
  const dir = mkdtempSync(join(BTRFS_LAB, `${tag}-`));
  writeFileSync(join(dir, 'owner'), String(process.pid));
  const fs: BtrfsFs = { dir, img: join(dir, 'fs.img'), mnt: join(dir, 'mnt') };
  live.add(fs);
  mkdirSync(fs.mnt);
  await must(['truncate', '-s', `${sizeMiB}M`, fs.img]);
  await must(['mkfs.btrfs', '-q', '-f', ...(sizeMiB < 200 ? ['--mixed'] : []), fs.img]);
  await must(['mount', '-o', 'loop', fs.img, fs.mnt]);
  return fs;
}

// Unmount one filesystem, detach its loop device and remove its directory. Never throws.
export async function unmountBtrfs(fs: BtrfsFs): Promise<void> {
  live.delete(fs);
  for (let i = 0; i < 20 && isMounted(fs.mnt); i++) {
    if ((await run(['umount', fs.mnt])).code === 0) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  if (isMounted(fs.mnt)) await run(['umount', '-l', fs.mnt]);
  detachLoops(fs.img);
  rmSync(fs.dir, { recursive: true, force: true });
}

// For afterAll: every filesystem this process mounted.
export async function unmountAll(): Promise<void> {
  for (const fs of [...live]) await unmountBtrfs(fs);
}

// A worker that dies without afterAll still unmounts (synchronously, as 'exit' allows).
process.on('exit', () => {
  for (const fs of live) {
    spawnSync('umount', ['-l', fs.mnt]);
    detachLoops(fs.img);
    rmSync(fs.dir, { recursive: true, force: true });
  }
});

function isMounted(path: string): boolean {
  return spawnSync('mountpoint', ['-q', path]).status === 0;
}

function detachLoops(img: string): void {
  if (!existsSync(img)) return;
  const out = spawnSync('losetup', ['-j', img, '-O', 'NAME', '-n']).stdout?.toString() ?? '';
  for (const dev of out
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean))
    spawnSync('losetup', ['-d', dev]);
}

// Lab directories whose owner process is gone: unmount and remove them.
function reapStale(): void {
  for (const name of readdirSync(BTRFS_LAB)) {
    const dir = join(BTRFS_LAB, name);
    let pid = 0;
    try {
      pid = Number(readFileSync(join(dir, 'owner'), 'utf8'));
    } catch {
      continue;
    }
    if (pid > 0 && alive(pid)) continue;
    spawnSync('umount', ['-l', join(dir, 'mnt')]);
    detachLoops(join(dir, 'fs.img'));
    rmSync(dir, { recursive: true, force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

// Is a subvolume read-only (btrfs property ro)?
export async function isReadOnly(path: string): Promise<boolean> {
  return (await must(['btrfs', 'property', 'get', '-t', 'subvol', path, 'ro'])).trim() === 'ro=true';
}

// Entry names of a directory, sorted (the working copy and plain directories included).
export function entries(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}

export const btrfs = (...args: string[]): Promise<string> => must(['btrfs', ...args]);
