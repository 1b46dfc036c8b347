import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync, ftruncateSync } from 'node:fs';
import { join } from 'node:path';
import { LockHeldError } from './errors.js';
import { run } from '../exec/process.js';

export { LockHeldError } from './errors.js';

export interface HeldLock {
  release(): void;
}

// A kernel flock(2) on a file in the lock directory, taken by util-linux flock(1) on a file
// descriptor this process keeps open. The kernel drops it when the process dies however it
// dies (kill -9 included), so a stale lock cannot exist and needs no recovery heuristics.
// `signal` (an interrupted run) ends a wait (--wait) with its flock(1) child.
export async function acquireLock(dir: string, name: string, opts: { waitSec?: number; signal?: AbortSignal } = {}): Promise<HeldLock> {
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  const path = join(dir, `${name}.lock`);
  const fd = openSync(path, 'a+', 0o644);
  const args = opts.waitSec === undefined ? ['--nonblock', '3'] : ['--timeout', String(opts.waitSec), '3'];
  const r = await run(['flock', ...args], { stdio: ['ignore', 'ignore', 'pipe', fd], stop: opts.signal }).catch((e: unknown) => {
    closeSync(fd);
    throw e;
  });
  const code = r.exitCode;
  if (r.startError || (code !== 0 && code !== 1)) {
    closeSync(fd);
    if (r.startError) throw new Error(`cannot run flock(1) for ${path}: ${r.startError}; install util-linux`);
    throw new Error(`flock ${path}: ${r.stderr.trim() || (r.signal ? `stopped by ${r.signal}` : `exit ${code}`)}`);
  }
  if (code !== 0) {
    const holder = readFileSync(path, 'utf8').trim();
    closeSync(fd);
    throw new LockHeldError(path, holder);
  }
  // Who holds it, for the message the next run prints; the lock itself is the flock.
  ftruncateSync(fd, 0);
  writeFileSync(fd, `pid ${process.pid}, started ${new Date().toISOString()}\n`);
  return { release: () => closeSync(fd) };
}

// The lock, or who holds it ("holder unknown" when its file names nobody): for a lock that is
// skipped rather than waited for, such as send's per-destination locks.
export async function lockOrBusy(dir: string, name: string, busyUnknown: (path: string) => string): Promise<HeldLock | { busy: string }> {
  try {
    return await acquireLock(dir, name);
  } catch (e) {
    if (e instanceof LockHeldError) return { busy: e.holder || busyUnknown(e.path) };
    throw e;
  }
}
