import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BtrfsFs, entries, mountBtrfs, unmountAll } from '../helpers/btrfs-lab.js';
import { BIN } from '../helpers/cli.js';
import { must, run } from '../helpers/run.js';
import { type Job, makeJob, namesAt } from './support/jobs.js';

// The faults the issue lists, on a real btrfs with a real rsync: no half copy ever becomes a
// read-only backup, and a failed run prunes nothing.
let fs: BtrfsFs;
let small: BtrfsFs;
beforeAll(async () => {
  fs = await mountBtrfs('faults');
  small = await mountBtrfs('full', 96);
}, 60_000);
afterAll(unmountAll);

const re = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const sha = (p: string): string => createHash('sha256').update(readFileSync(p)).digest('hex');
const randomFile = (path: string, mib: number): Promise<string> =>
  must(['dd', 'if=/dev/urandom', `of=${path}`, 'bs=1M', `count=${mib}`, 'status=none']);

// The pids of a process's children, with their command names.
async function children(pid: number): Promise<{ pid: number; comm: string }[]> {
  const r = await run(['ps', '-o', 'pid=,comm=', '--ppid', String(pid)]);
  return r.stdout
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f.length === 2)
    .map(([p, c]) => ({ pid: Number(p), comm: c! }));
}

describe('faults', () => {
  it('rsync killed mid-run: no new backup; the next run completes', async () => {
    const job: Job = makeJob(fs, 'killed', 'rsync_options = --bwlimit=4000');
    await randomFile(join(job.src, 'big'), 24);
    expect((await job.hf(['setup-backup', 'killed'])).code).toBe(0);
    const env = { ...process.env, TZ: 'UTC' };
    const child = spawn(process.execPath, [BIN, '--config', job.conf, '--lock-dir', job.locks, 'backup', 'killed'], {
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const exited = new Promise<number>((resolve) => child.once('exit', (code) => resolve(code ?? 128)));
    let rsync: number | undefined;
    for (let i = 0; i < 200 && rsync === undefined; i++) {
      const partial = join(job.backups, '.sync', 'big');
      const started = (() => {
        try {
          return statSync(partial).size > 1_000_000;
        } catch {
          return false;
        }
      })();
      if (started) rsync = (await children(child.pid!)).find((c) => c.comm === 'rsync')?.pid;
      if (rsync === undefined) await new Promise((r) => setTimeout(r, 50));
    }
    expect(rsync, 'rsync never started copying').toBeDefined();
    process.kill(rsync!, 'SIGKILL');
    expect(await exited).toBe(1);
    expect(stderr).toMatch(/ERROR backup killed: rsync was killed by SIGKILL before it finished; no backup taken, nothing pruned/);
    expect(entries(job.backups)).toEqual(['.sync']);

    job.rewrite('');
    const next = await job.hf(['backup', 'killed'], '2026-02-02 02:02:02');
    expect(next.code, next.stderr).toBe(0);
    expect(entries(job.backups)).toEqual(['.sync', '2026-02-02T02:02:02+00:00']);
    expect(sha(join(job.backups, '2026-02-02T02:02:02+00:00', 'big'))).toBe(sha(join(job.src, 'big')));
  });

  it('holdfast stopped with SIGTERM mid-copy stops its rsync too, takes nothing, says so in one line and exits 143; the next run completes', async () => {
    const job: Job = makeJob(fs, 'stopped', 'rsync_options = --bwlimit=4000');
    await randomFile(join(job.src, 'big'), 24);
    expect((await job.hf(['setup-backup', 'stopped'])).code).toBe(0);
    const child = spawn(process.execPath, [BIN, '--config', job.conf, '--lock-dir', job.locks, 'backup', 'stopped'], {
      env: { ...process.env, TZ: 'UTC' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const exited = new Promise<number>((resolve) => child.once('exit', (code) => resolve(code ?? 128)));
    let rsync: number | undefined;
    for (let i = 0; i < 200 && rsync === undefined; i++) {
      rsync = (await children(child.pid!)).find((c) => c.comm === 'rsync')?.pid;
      if (rsync === undefined) await new Promise((r) => setTimeout(r, 50));
    }
    expect(rsync).toBeDefined();
    await new Promise((r) => setTimeout(r, 300));
    child.kill('SIGTERM');
    expect(await exited).toBe(143);
    const lines = stderr.split('\n').filter((l) => / (WARN|ERROR) /.test(l));
    expect(lines, stderr).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(
        `WARN  interrupted by SIGTERM during backup stopped \\(rsync ${re(job.src)} → ${re(job.backups)}/\\.sync\\); no backup was taken of the partial copy: the next run copies the rest into ${re(job.backups)}/\\.sync and takes it$`,
      ),
    );
    expect((await run(['ps', '-p', String(rsync)])).code).toBe(1); // gone
    expect(entries(job.backups)).toEqual(['.sync']);
    job.rewrite('');
    const next = await job.hf(['backup', 'stopped'], '2026-02-02 02:02:02');
    expect(next.code, next.stderr).toBe(0);
    expect(sha(join(job.backups, '2026-02-02T02:02:02+00:00', 'big'))).toBe(sha(join(job.src, 'big')));
  });

  it('the backups filesystem is full: a clear error, no backup', async () => {
    const job = makeJob(small, 'full');
    await randomFile(join(job.src, 'too-big'), 120);
    expect((await job.hf(['setup-backup', 'full'])).code).toBe(0);
    const r = await job.hf(['backup', 'full'], '2026-02-02 02:02:02');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /ERROR backup full: the backups filesystem is full \(rsync exit 11\): .*No space left on device.*free space \(holdfast prune\/decay\) or grow it; no backup taken/,
    );
    expect(entries(job.backups)).toEqual(['.sync']);
  });

  it('the source is missing: exit 1, and nothing is pruned or decayed in that run', async () => {
    const job = makeJob(
      fs,
      'nosrc',
      'retain_all = 0\nretain_daily = 0\ndecay = 1 day\nautoprune = yes\nautodecay = yes',
      '/nonexistent/holdfast source',
    );
    expect((await job.hf(['setup-backup', 'nosrc'])).code).toBe(0);
    const old = namesAt([Date.UTC(2025, 0, 1, 1), Date.UTC(2025, 0, 1, 2), Date.UTC(2025, 0, 1, 3)]);
    for (const n of old) await must(['btrfs', 'subvolume', 'snapshot', '-r', join(job.backups, '.sync'), join(job.backups, n)]);
    const r = await job.hf(['backup', 'nosrc'], '2026-02-02 02:02:02');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /ERROR backup nosrc: the source \/nonexistent\/holdfast source does not exist; no backup taken, nothing pruned/,
    );
    expect(r.stderr).toMatch(/ERROR backup: took 0 of 1, deleted 0 old .* 1 failed: nosrc/);
    expect(entries(job.backups)).toEqual(['.sync', ...old]);
  });
});
