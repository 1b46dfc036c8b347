import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Finding } from '../../src/app/doctor/finding.js';
import { holdfast, lockDir, writeConfig } from '../helpers/cli.js';
import { vmExec } from '../helpers/openzfs-vm.js';
import { sh, snapsIn, vmLane } from './support.js';

// Least privilege on real OpenZFS 2.1 (issue 13 §3): a non-root account (hfu) replicating with
// exactly the README's `zfs allow` permissions, and a missing one reported by doctor (with the
// line that grants it) and by the send's own error. zfs-fuse cannot do this: its `zfs allow`
// needs a helper Debian does not ship, and its socket is root's alone.
const { vm, d } = vmLane('delegation on OpenZFS');
const POOL = `hfdel${randomBytes(3).toString('hex')}`;
const locks = lockDir();
const at = (ds: string) => `ssh:${vm.port}:hfu@127.0.0.1:${ds}`;
let conf = '';

const run = (args: string[], time = '10:00:00') =>
  holdfast(['--config', conf, '--lock-dir', locks, ...args], { faketime: `2020-01-01 ${time}` });
async function doctorRows(): Promise<Finding[]> {
  const r = await holdfast(['--config', conf, '--lock-dir', locks, '--json', 'doctor']);
  return (JSON.parse(r.stdout) as { findings: Finding[] }).findings;
}

d('a non-root account with zfs allow on OpenZFS 2.1', () => {
  beforeAll(async () => {
    await sh(
      [
        'id hfu >/dev/null 2>&1 || useradd -m -s /bin/sh hfu',
        'mkdir -p ~hfu/.ssh && cp /root/.ssh/authorized_keys ~hfu/.ssh/ && chown -R hfu ~hfu/.ssh',
        `truncate -s 256M /var/tmp/${POOL}.img && zpool create -f -m /mnt/${POOL} ${POOL} /var/tmp/${POOL}.img`,
        `zfs create ${POOL}/src && zfs create ${POOL}/dst && dd if=/dev/urandom of=/mnt/${POOL}/src/f bs=64K count=4 status=none`,
        // The README's table: snap with clean, and the source of a send; the destination of a receive.
        `zfs allow -u hfu snapshot,destroy,mount,send,hold,release ${POOL}/src`,
        `zfs allow -u hfu receive,create,mount,hold,release ${POOL}/dst`,
      ].join(' && '),
    );
    conf = writeConfig(
      `[DEFAULT]\nkey = ${vm.keyPath}\nssh_options = StrictHostKeyChecking=no, UserKnownHostsFile=/dev/null, LogLevel=ERROR\n\n[${at(`${POOL}/src`)}]\nfrequent = 2\nsnap = yes\nclean = yes\ndest = ${at(`${POOL}/dst/src`)}\n`,
    );
  });
  afterAll(async () => {
    await vmExec(`zpool destroy -f ${POOL}; rm -f /var/tmp/${POOL}.img`);
  });

  it('snaps, cleans and replicates with the delegated permissions only; doctor finds them all', async () => {
    for (const t of ['10:00:00', '10:15:00', '10:30:00']) {
      const s = await run(['snap'], t);
      expect(s.code, s.stderr).toBe(0);
    }
    expect(await snapsIn(`${POOL}/src`)).toHaveLength(2); // clean destroyed the oldest
    const sent = await run(['send']);
    expect(sent.code, sent.stderr).toBe(0);
    expect(await snapsIn(`${POOL}/dst/src`)).toEqual(await snapsIn(`${POOL}/src`));
    const rows = (await doctorRows()).filter((f) => f.check === 'delegation');
    expect(rows.map((f) => f.status)).toEqual(['ok', 'ok']);
  });

  it('a missing permission: doctor names it with the zfs allow line, and the send fails on it', async () => {
    await sh(`zfs unallow -u hfu receive ${POOL}/dst`);
    const rows = (await doctorRows()).filter((f) => f.check === 'delegation');
    const bad = rows.find((f) => f.status === 'fail')!;
    expect(bad.detail).toBe('hfu lacks receive for receive');
    expect(bad.fix).toBe(`zfs allow -u hfu receive ${POOL}/dst/src (on ssh:${vm.port}:hfu@127.0.0.1)`);
    expect((await run(['snap'], '10:45:00')).code).toBe(0);
    const sent = await run(['send'], '10:45:00');
    expect(sent.code).toBe(1);
    expect(sent.stderr).toMatch(/zfs receive .* exited 1: cannot receive incremental stream: permission denied/);
  });
});
