import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BtrfsFs, btrfs, entries, isReadOnly, mountBtrfs, unmountAll } from '../helpers/btrfs-lab.js';
import { holdfast, lockDir, writeConfig } from '../helpers/cli.js';
import { shellJoin } from '../../src/adapters/exec/shell-quote.js';
import { ODD } from './support/jobs.js';
import { SSH_USER, type TestSshd, startSshd } from '../helpers/sshd.js';

// btrbk-style replication on real btrfs: `holdfast btrfs-send` to a local directory and, with
// zstd, to the same kind of directory over a real sshd; the parent is found by received_uuid.
let a: BtrfsFs;
let b: BtrfsFs;
let sshd: TestSshd;
let data: string;
let local: string;
let remote: string;
let conf: string;
const locks = lockDir();
beforeAll(async () => {
  [a, b] = [await mountBtrfs('send-src'), await mountBtrfs('send-dst')];
  sshd = await startSshd();
  mkdirSync(join(a.mnt, ODD));
  data = join(a.mnt, ODD, 'data');
  await btrfs('subvolume', 'create', data);
  local = join(b.mnt, `local ${ODD}`);
  remote = join(b.mnt, `remote ${ODD}`);
  const key = join(a.dir, `key ${ODD}`);
  copyFileSync(sshd.keyPath, key);
  conf = writeConfig(
    `[DEFAULT]\nssh_options = UserKnownHostsFile=${sshd.knownHosts}, StrictHostKeyChecking=yes\ntimezone = UTC\n\n` +
      `[btrfs:${data}]\nhourly = 10\nsnap = yes\nclean = yes\n` +
      `dest = btrfs:${local}, btrfs:ssh:${sshd.port}:${SSH_USER}@127.0.0.1:${remote}\ncompress = none, zstd\ndest_keys = , ${key}\n`,
  );
}, 60_000);
afterAll(async () => {
  await sshd?.stop();
  await unmountAll();
});

const hf = (args: string[], faketime?: string) => holdfast(['--config', conf, '--lock-dir', locks, ...args], faketime ? { faketime } : {});
const snapAt = async (hour: string, content: string): Promise<void> => {
  writeFileSync(join(data, 'f'), content);
  const r = await hf(['snap'], `2026-01-01 ${hour}:00:00`);
  expect(r.code, r.stderr).toBe(0);
};
const name = (hour: string): string => `holdfast_2026-01-01_${hour}:00:00_hourly`;

describe('holdfast btrfs-send', () => {
  it('first run: the oldest in full, then incremental; both destinations hold read-only copies', async () => {
    await snapAt('10', 'v10');
    await snapAt('11', 'v11');
    const r = await hf(['btrfs-send']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`sent ${name('10')} (full)`);
    expect(r.stderr).toContain(`sent ${name('11')} (incremental from ${name('10')})`);
    expect(r.stderr).toMatch(/INFO {2}btrfs-send: sent 4 snapshots to 2 destinations/);
    for (const dir of [local, remote]) {
      expect(entries(dir)).toEqual([name('10'), name('11')]);
      expect(await isReadOnly(join(dir, name('11')))).toBe(true);
      expect(readFileSync(join(dir, name('10'), 'f'), 'utf8')).toBe('v10');
      expect(readFileSync(join(dir, name('11'), 'f'), 'utf8')).toBe('v11');
    }
  });

  it('--dry-run prints the incremental pipelines (zstd over ssh) and changes nothing; the real run sends only the new one', async () => {
    await snapAt('12', 'v12');
    const dry = await hf(['--dry-run', 'btrfs-send']);
    expect(dry.code, dry.stderr).toBe(0);
    const p = (x: string): string => join(data, '.snapshots', name(x));
    expect(dry.stdout).toContain(
      `${shellJoin(['btrfs', 'send', '-q', '-p', p('11'), p('12')])} | ${shellJoin(['btrfs', 'receive', local])}\n`,
    );
    expect(dry.stdout).toMatch(
      /btrfs send -q -p .*_11:00:00_hourly' .*_12:00:00_hourly' \| zstd -q -c --adapt \| ssh .*-p \d+ hfroot@127\.0\.0\.1 'zstd -q -dc \| btrfs receive /,
    );
    expect(entries(local)).toHaveLength(2);
    const r = await hf(['btrfs-send']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr.match(/incremental from holdfast_2026-01-01_11:00:00_hourly/g)).toHaveLength(2);
    for (const dir of [local, remote]) expect(readFileSync(join(dir, name('12'), 'f'), 'utf8')).toBe('v12');
    expect((await hf(['btrfs-send'])).stderr).toMatch(/up to date \(holdfast_2026-01-01_12:00:00_hourly\)[\s\S]*up to date/);
  });

  it('an unfinished receive in the way is deleted and received again', async () => {
    await snapAt('13', 'v13');
    await btrfs('subvolume', 'create', join(local, name('13'))); // what a killed receive leaves
    const r = await hf(['btrfs-send']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/WARN {2}btrfs-send .* deleted unfinished receive holdfast_2026-01-01_13:00:00_hourly/);
    expect(await isReadOnly(join(local, name('13')))).toBe(true);
    expect(readFileSync(join(local, name('13'), 'f'), 'utf8')).toBe('v13');
  });

  it('a different subvolume under the same name is a conflict for that destination only', async () => {
    await snapAt('14', 'v14');
    await btrfs('subvolume', 'snapshot', '-r', join(remote, name('13')), join(remote, name('14')));
    const r = await hf(['btrfs-send']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /ERROR btrfs-send .*remote .*: the destination already has a different holdfast_2026-01-01_14:00:00_hourly \(read-only, not received from this source\); move it away/,
    );
    expect(readFileSync(join(local, name('14'), 'f'), 'utf8')).toBe('v14');
    expect(readFileSync(join(remote, name('14'), 'f'), 'utf8')).toBe('v13'); // left as it was
  });

  it("holds each destination's base, so a clean that would prune it keeps it and the next send stays incremental", async () => {
    // The remote destination is stuck at 13 (the conflict above); the local one is at 14.
    const small = writeConfig(readFileSync(conf, 'utf8').replace('hourly = 10', 'hourly = 1'));
    const at = { faketime: '2026-01-01 14:30:00' }; // no new hourly is due: only clean acts
    const plan = await holdfast(['--config', small, '--lock-dir', locks, 'plan'], at);
    expect(plan.stdout).toMatch(/keep +holdfast_2026-01-01_13:00:00_hourly +\(held \(1 hold: holdfast:hfroot@127\.0\.0\.1:\d+:/);
    expect(plan.stdout).toContain(`keep    ${name('14')}  (hourly 1 of 1; held (1 hold: holdfast:${local}))`);
    const clean = await holdfast(['--config', small, '--lock-dir', locks, 'snap', '--clean'], at);
    expect(clean.code, clean.stderr).toBe(0);
    const left = entries(join(data, '.snapshots')).filter((n) => !n.startsWith('.'));
    expect(left).toEqual([name('13'), name('14')]);
    await snapAt('15', 'v15');
    const r = await hf(['btrfs-send']);
    expect(r.stderr).toContain(`sent ${name('15')} (incremental from ${name('14')})`);
  });

  it('a holds file that cannot be parsed holds everything: clean keeps every snapshot there, send fails naming the file', async () => {
    const holds = join(data, '.snapshots', '.holdfast-holds.json');
    const good = readFileSync(holds, 'utf8');
    writeFileSync(holds, '{"holdfast_2026-01-01_15:00:00_hourly": ["holdfast:x"'); // cut short
    const small = writeConfig(readFileSync(conf, 'utf8').replace('hourly = 10', 'hourly = 1'));
    const at = { faketime: '2026-01-01 15:30:00' };
    const before = entries(join(data, '.snapshots')).filter((n) => !n.startsWith('.'));
    const clean = await holdfast(['--config', small, '--lock-dir', locks, 'snap', '--clean'], at);
    expect(clean.stderr).toMatch(
      /ERROR btrfs holds .*\.holdfast-holds\.json: not valid JSON; fix it, or delete it .*; until then clean keeps every snapshot there/,
    );
    expect(entries(join(data, '.snapshots')).filter((n) => !n.startsWith('.'))).toEqual(before);
    const plan = await holdfast(['--config', small, '--lock-dir', locks, 'plan'], at);
    expect(plan.stdout).toMatch(/keep +holdfast_2026-01-01_13:00:00_hourly +\(held \(1 hold: holdfast:holds-file-unreadable\)\)/);
    // btrfs-send runs from cron: its failure reaches notify_command, naming the destination.
    const heard = join(a.dir, 'notified.json');
    const notifying = writeConfig(
      `[DEFAULT]\nnotify_command = /bin/sh -c "cat > '${heard}'"\n${readFileSync(conf, 'utf8').replace('[DEFAULT]\n', '')}`,
    );
    const r = await holdfast(['--config', notifying, '--lock-dir', locks, 'btrfs-send']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/\.holdfast-holds\.json: not valid JSON; fix it, or delete it/);
    const summary = JSON.parse(readFileSync(heard, 'utf8')) as {
      command: string;
      exitCode: number;
      failures: { target: string; message: string }[];
    };
    expect(summary).toMatchObject({ command: 'btrfs-send', exitCode: 1 });
    expect(summary.failures.map((f) => f.message).join('\n')).toContain('.holdfast-holds.json: not valid JSON');
    expect(readFileSync(holds, 'utf8')).toContain('"holdfast:x"'); // never overwritten with a guess
    writeFileSync(holds, good);
    const again = await hf(['btrfs-send']); // the remote destination still has its conflict
    expect(again.stderr).not.toContain('holdfast-holds.json');
    expect(again.stderr).toMatch(new RegExp(`btrfs-send .*local .*: up to date \\(${name('15')}\\)`));
  });
});
