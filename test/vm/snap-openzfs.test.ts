import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { holdfast, lockDir, writeConfig } from '../helpers/cli.js';
import { vmExec } from '../helpers/openzfs-vm.js';
import { sh, snapsIn, vmLane } from './support.js';

// The snap cycle on real OpenZFS 2.1 (the VM, over ssh), where it takes the modern paths zfs-fuse
// lacks: one atomic `zfs snapshot` naming every dataset of a pool, `zfs destroy fs@a,b,c`, and
// a `zfs hold` by another tool respected. ssh reaches the VM with [DEFAULT] ssh_options, as send does.
const { vm, d } = vmLane('snap on OpenZFS');

const POOL = `hfsnap${randomBytes(3).toString('hex')}`;
const locks = lockDir();
let conf = '';

const snaps = (ds: string) => snapsIn(ds, /^holdfast_2020-01-01_/);
const snap = (t: string, ...args: string[]) => holdfast(['--config', conf, '--lock-dir', locks, ...args], { faketime: `2020-01-01 ${t}` });
interface JsonPlan {
  hosts: {
    zfs: { flavor: string } | null;
    commands: string[];
    datasets: { dataset: string; snapshots: { name: string; keep: boolean; reasons: string[] }[] }[];
  }[];
}

d('snap on real OpenZFS 2.1', () => {
  beforeAll(async () => {
    await sh(
      `truncate -s 256M /var/tmp/${POOL}.img && zpool create -f -m /mnt/${POOL} ${POOL} /var/tmp/${POOL}.img && ` +
        `zfs create ${POOL}/a && zfs create ${POOL}/a/skip && zfs create ${POOL}/b`,
    );
    const at = `ssh:${vm!.port}:root@127.0.0.1:${POOL}`;
    // The VM's host key is unknown here: ssh_options, honoured by snap since it reads them for every ssh connection.
    conf = writeConfig(
      `[DEFAULT]\nssh_options = StrictHostKeyChecking=no, UserKnownHostsFile=/dev/null, LogLevel=ERROR\ntimezone = UTC\n\n` +
        `[${at}]\nkey = ${vm!.keyPath}\nhourly = 2\nsnap = yes\nclean = yes\n\n[${at}/a]\nhourly = 1\n\n[${at}/a/skip]\nsnap = no\n`,
    );
  });
  afterAll(async () => {
    await vmExec(`zpool destroy -f ${POOL}; rm -f /var/tmp/${POOL}.img`);
  });

  it('takes one atomic snapshot naming every dataset but the excluded one (the same txg everywhere)', async () => {
    const plan = await snap('10:00:00', '--dry-run', '--json', 'snap', '--take');
    expect(plan.code, plan.stderr).toBe(0);
    const host = (JSON.parse(plan.stdout) as JsonPlan).hosts[0]!;
    expect(host.zfs?.flavor).toBe('openzfs');
    const n = `holdfast_2020-01-01_10:00:00_hourly`;
    expect(host.commands).toEqual([expect.stringContaining(`zfs snapshot ${POOL}@${n} ${POOL}/a@${n} ${POOL}/b@${n}`)]);

    const r = await snap('10:00:00', 'snap');
    expect(r.code, r.stderr).toBe(0);
    const at = (ds: string) => `ssh:${vm!.port}:root@127.0.0.1:${ds}@${n}`; // as the config writes it
    expect(r.stderr).toContain(`INFO  took ${at(POOL)}, ${at(`${POOL}/a`)} and ${at(`${POOL}/b`)} in one atomic call\n`);
    // The capability probe, the one listing, the one snapshot: not one call per dataset.
    const calls = /snap: took 3, destroyed 0 snapshots on \d+ datasets .*\((\d+) zfs\/btrfs calls\)/.exec(r.stderr)?.[1];
    expect(Number(calls), r.stderr).toBeLessThanOrEqual(3);
    const txgs = (await sh(`zfs get -H -p -o value createtxg ${POOL}@${n} ${POOL}/a@${n} ${POOL}/b@${n}`)).trim().split('\n');
    expect(new Set(txgs).size, txgs.join(' ')).toBe(1);
    expect(await snaps(`${POOL}/a/skip`)).toEqual([]);
  });

  it('destroys several snapshots of a dataset in one comma-list call, and keeps a held one', async () => {
    for (const t of ['11:00:00', '12:00:00', '13:00:00']) expect((await snap(t, 'snap', '--take')).code).toBe(0);
    await sh(`zfs hold keepme ${POOL}/b@holdfast_2020-01-01_10:00:00_hourly`);
    const plan = await snap('13:10:00', '--dry-run', '--json', 'snap', '--clean');
    const host = (JSON.parse(plan.stdout) as JsonPlan).hosts[0]!;
    const b = host.datasets.find((x) => x.dataset === `${POOL}/b`)!;
    expect(b.snapshots.find((s) => s.name.startsWith('holdfast_2020-01-01_10:00'))).toMatchObject({
      keep: true,
      reasons: ['held (1 hold)'],
    });
    // 6 snapshots go (2 on the pool, 3 on a, 1 on b) in fewer calls: -r where a whole subtree
    // agrees, and several names of one dataset in one comma list.
    const doomed = host.datasets.flatMap((x) => x.snapshots.filter((v) => !v.keep));
    expect(doomed).toHaveLength(6);
    expect(host.commands.length).toBeLessThan(doomed.length);
    expect(
      host.commands.some((c) => /zfs destroy (-r )?\S+@holdfast_[^,\s']+,holdfast_/.test(c)),
      host.commands.join('\n'),
    ).toBe(true);

    const r = await snap('13:10:00', 'snap', '--clean');
    expect(r.code, r.stderr).toBe(0);
    expect(await snaps(POOL)).toEqual(['12:00:00_hourly', '13:00:00_hourly']);
    expect(await snaps(`${POOL}/a`)).toEqual(['13:00:00_hourly']);
    expect(await snaps(`${POOL}/b`)).toEqual(['10:00:00_hourly', '12:00:00_hourly', '13:00:00_hourly']);
    await sh(`zfs release keepme ${POOL}/b@holdfast_2020-01-01_10:00:00_hourly`);
    expect((await snap('13:20:00', 'snap', '--clean')).code).toBe(0);
    expect(await snaps(`${POOL}/b`)).toEqual(['12:00:00_hourly', '13:00:00_hourly']);
  });
});
