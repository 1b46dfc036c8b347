import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { holdfast, lockDir, writeConfig } from '../helpers/cli.js';
import { vmExec } from '../helpers/openzfs-vm.js';
import { sh, snapsIn, vmLane } from './support.js';

// snap_if_changed on real OpenZFS 2.1 (the VM, reached over ssh): the `written` property says
// whether a dataset changed since its newest snapshot; an idle dataset gets nothing, a write
// above written_threshold gets its due snapshots, and the other types' due rules stay as they were.
const { vm, d } = vmLane('snap_if_changed on OpenZFS');

const POOL = `hfchg${randomBytes(3).toString('hex')}`;
const locks = lockDir();
let conf = '';

const snaps = (ds: string) => snapsIn(ds, /^holdfast_2020-01-01_/);
const snap = (t: string, ...extra: string[]) =>
  holdfast(['--config', conf, '--lock-dir', locks, ...extra, 'snap'], { faketime: `2020-01-01 ${t}` });
const write = (file: string, kib: number) =>
  sh(`dd if=/dev/urandom of=/mnt/${POOL}/d/${file} bs=1K count=${kib} status=none && zpool sync ${POOL}`); // `written` counts only synced txgs

d('snap_if_changed on real OpenZFS 2.1', () => {
  beforeAll(async () => {
    await sh(
      `truncate -s 256M /var/tmp/${POOL}.img && zpool create -f -m /mnt/${POOL} ${POOL} /var/tmp/${POOL}.img && zfs create -o atime=off ${POOL}/d && zfs create -o atime=off ${POOL}/d/quiet`,
    );
    // The VM's host key is unknown here: [DEFAULT] ssh_options, which snap honours as send does.
    conf = writeConfig(
      `[DEFAULT]\nssh_options = StrictHostKeyChecking=no, UserKnownHostsFile=/dev/null, LogLevel=ERROR\nsnap_if_changed = yes\n\n[ssh:${vm!.port}:root@127.0.0.1:${POOL}/d]\nkey = ${vm!.keyPath}\nfrequent = 4\nhourly = 24\nsnap = yes\nclean = yes\nwritten_threshold = 64K\n`,
    );
  });
  afterAll(async () => {
    await vmExec(`zpool destroy -f ${POOL}; rm -f /var/tmp/${POOL}.img`);
  });

  it('takes nothing on an idle dataset, and takes after a write above the threshold', async () => {
    const first = await snap('10:00:00');
    expect(first.code, first.stderr).toBe(0);
    expect(await snaps(`${POOL}/d`)).toEqual(['10:00:00_hourly', '10:00:00_frequent']);

    const idle = await snap('10:15:00');
    expect(idle.code, idle.stderr).toBe(0);
    expect(idle.stderr).toMatch(/snap: took 0, destroyed 0 snapshots on 2 datasets \(2 unchanged, skipped\)/);
    expect(await snaps(`${POOL}/d`)).toEqual(['10:00:00_hourly', '10:00:00_frequent']);

    await write('small', 8); // below written_threshold = 64K: still "unchanged"
    const small = await snap('10:30:00', '--dry-run');
    expect(small.stdout).toBe('# nothing to do\n');

    await write('big', 1024);
    const explained = await snap('10:45:00', '--dry-run', '--json');
    const plan = JSON.parse(explained.stdout) as {
      hosts: { datasets: { dataset: string; take: { type: string; due: boolean; why: string }[] }[] }[];
    };
    const quiet = plan.hosts[0]!.datasets.find((x) => x.dataset.endsWith('/quiet'))!;
    expect(quiet.take.find((t) => t.type === 'frequent')!.why).toMatch(
      /^no frequent snapshot in this minute yet, but unchanged since @holdfast_2020-01-01_10:00:00_frequent \(0B written ≤ written_threshold 64.0K\)$/,
    );
    const after = await snap('10:45:00');
    expect(after.code, after.stderr).toBe(0);
    expect(await snaps(`${POOL}/d`)).toEqual(['10:00:00_hourly', '10:00:00_frequent', '10:45:00_frequent']);
    expect(await snaps(`${POOL}/d/quiet`)).toEqual(['10:00:00_hourly', '10:00:00_frequent']); // its own data did not change
  });

  it('a skipped hourly does not change the frequent decision; both are taken once data changes', async () => {
    const idle = await snap('11:00:00'); // hourly due, frequent due: both skipped
    expect(idle.stderr).toContain('(2 unchanged, skipped)');
    await write('more', 256);
    const r = await snap('11:15:00'); // still the 11 o'clock hour: the hourly is taken now
    expect(r.code, r.stderr).toBe(0);
    expect((await snaps(`${POOL}/d`)).slice(-2)).toEqual(['11:15:00_hourly', '11:15:00_frequent']);
  });
});
