import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BtrfsFs, entries, isReadOnly, mountBtrfs, unmountAll } from '../helpers/btrfs-lab.js';
import { ODD, makeJob } from './support/jobs.js';
import { SSH_USER, type TestSshd, startSshd } from '../helpers/sshd.js';

// rsync from USER@127.0.0.1:PATH through a real sshd (a uid-0 login), with a source path and an
// identity file path that hold a space, a quote, $ and ;.
let fs: BtrfsFs;
let sshd: TestSshd;
beforeAll(async () => {
  fs = await mountBtrfs('ssh');
  sshd = await startSshd();
}, 60_000);
afterAll(async () => {
  await sshd?.stop();
  await unmountAll();
});

describe('backup over ssh', () => {
  it('copies a remote directory and freezes it', async () => {
    const keyDir = join(fs.dir, `keys ${ODD}`);
    mkdirSync(keyDir);
    const key = join(keyDir, `id ${ODD}`);
    copyFileSync(sshd.keyPath, key);
    const sshOpts = `ssh_options = UserKnownHostsFile=${sshd.knownHosts}, StrictHostKeyChecking=yes`;
    const probe = makeJob(fs, 'remote');
    const job = makeJob(fs, 'remote', `key = ${key}\n${sshOpts}`, `ssh:${sshd.port}:${SSH_USER}@127.0.0.1:${probe.src}`);
    mkdirSync(join(job.src, ODD));
    writeFileSync(join(job.src, ODD, 'data'), 'over ssh');
    expect((await job.hf(['setup-backup', 'remote'])).code).toBe(0);
    const r = await job.hf(['backup', 'remote'], '2026-05-01 12:00:00');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`from ssh:${sshd.port}:hfroot@127.0.0.1:${job.src} (rsync`); // as written in source
    const b = join(job.backups, '2026-05-01T12:00:00+00:00');
    expect(entries(job.backups)).toEqual(['.sync', '2026-05-01T12:00:00+00:00']);
    expect(await isReadOnly(b)).toBe(true);
    expect(readFileSync(join(b, ODD, 'data'), 'utf8')).toBe('over ssh');
  });

  it("an unreachable host fails with ssh's reason and takes nothing", async () => {
    const probe = makeJob(fs, 'down');
    const job = makeJob(fs, 'down', `ssh_options = UserKnownHostsFile=${sshd.knownHosts}`, `ssh:1:${SSH_USER}@127.0.0.1:${probe.src}`);
    expect((await job.hf(['setup-backup', 'down'])).code).toBe(0);
    const r = await job.hf(['backup', 'down'], '2026-05-01 12:00:00');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /ERROR backup down: cannot reach the source over ssh: ssh: connect to host 127\.0\.0\.1 port 1: Connection refused; no backup taken, nothing pruned/,
    );
    expect(entries(job.backups)).toEqual(['.sync']);
  });
});
