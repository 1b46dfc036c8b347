import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { holdfast, lockDir, writeConfig } from '../helpers/cli.js';
import { type TestPool, countsByType, createPool } from '../helpers/zfs-lab.js';

// Overlapping cron runs cannot collide: a second snap exits 3, --wait waits, and a run killed
// with -9 leaves no stale lock behind.
let pool: TestPool;
let conf: string;
beforeAll(async () => {
  pool = await createPool('lk', 128);
  conf = writeConfig(`[${pool.name}]\nfrequent = 2\nhourly = 1\nsnap = yes\nclean = yes\n`);
});
afterAll(async () => pool?.destroy());

// Hold the snap lock from another process (the same flock(2) a holdfast run takes).
function holdLock(dir: string, seconds: number) {
  const child = spawn('flock', [join(dir, 'snap.lock'), 'sleep', String(seconds)], { stdio: 'ignore' });
  return child;
}

const until = async (f: () => boolean) => {
  for (let i = 0; i < 100 && !f(); i++) await new Promise((r) => setTimeout(r, 50));
};

describe('the snap lock', () => {
  it('a second run exits 3 and names the lock; --wait runs once the first is done', async () => {
    const dir = lockDir();
    const holder = holdLock(dir, 2);
    await new Promise((r) => setTimeout(r, 300));
    const r = await holdfast(['--config', conf, '--lock-dir', dir, 'snap']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(new RegExp(`^holdfast: another holdfast run holds ${dir}/snap.lock`));
    const t0 = Date.now();
    const w = await holdfast(['--config', conf, '--lock-dir', dir, 'snap', '--wait', '30']);
    expect(w.code, w.stderr).toBe(0);
    expect(Date.now() - t0).toBeGreaterThan(1000);
    holder.kill();
  });

  it('a run killed with -9 while holding the lock leaves nothing to recover', async () => {
    const dir = lockDir();
    const lockModule = resolve(import.meta.dirname, '../../dist/adapters/lock/flock.js');
    const script = `const m = await import(${JSON.stringify(lockModule)}); await m.acquireLock(${JSON.stringify(dir)}, 'snap'); console.log('locked'); setTimeout(() => {}, 60000);`;
    const victim = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    victim.stdout.on('data', (b: Buffer) => (out += b.toString()));
    await until(() => out.includes('locked'));
    expect((await holdfast(['--config', conf, '--lock-dir', dir, 'snap'])).code).toBe(3);
    victim.kill('SIGKILL');
    await new Promise((r) => victim.on('close', r));
    const r = await holdfast(['--config', conf, '--lock-dir', dir, 'snap']);
    expect(r.code, r.stderr).toBe(0);
  });

  it('five overlapping runs with --wait all succeed and take each snapshot once', async () => {
    const dir = lockDir();
    const c = writeConfig(`[${pool.name}]\nfrequent = 5\nsnap = yes\nclean = yes\n`);
    const runs = await Promise.all(
      Array.from({ length: 5 }, () =>
        holdfast(['--config', c, '--lock-dir', dir, 'snap', '--wait', '60'], { faketime: '2022-02-02 02:02:02' }),
      ),
    );
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    expect((await countsByType(pool.name)).frequent).toBeGreaterThanOrEqual(1);
    const taken = runs.filter((r) => /took \S+@holdfast_2022-02-02_02:02:02_frequent/.test(r.stderr));
    expect(taken).toHaveLength(1);
  });
});
