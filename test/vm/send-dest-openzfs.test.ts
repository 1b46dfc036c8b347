import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { holdfast, lockDir } from '../helpers/cli.js';
import { vmExec } from '../helpers/openzfs-vm.js';
import { createPool, ensureZfsFuse, zfs } from '../helpers/zfs-lab.js';
import { sh, snapsIn, twoHosts, vmLane } from './support.js';

// The destination end of a first send where only OpenZFS can show it (issue 10, items 1 and 2):
// a raw send of an encrypted dataset works on the first run because the receive creates the
// destination (no -F, nothing pre-created), and partial receives are never a way to overwrite
// a dataset holdfast did not make. The VM is reached as 127.0.0.1 (source) and localhost (dest).
const { vm, d } = vmLane('send destinations on OpenZFS');

const locks = lockDir();
const POOL = `hfdest${randomBytes(3).toString('hex')}`;
const { A, B, flags } = twoHosts(vm);
const json = async (...args: string[]) => {
  const r = await holdfast(['--lock-dir', locks, '--json', 'send', ...flags(), ...args]);
  return { ...r, report: r.stdout ? JSON.parse(r.stdout) : undefined };
};
const token = async (ds: string) => (await sh(`zfs get -H -o value receive_resume_token ${ds}`)).trim();

// A source dataset with 3 MiB of data and one snapshot.
async function source(name: string, snap: string): Promise<string> {
  const ds = `${POOL}/${name}`;
  await sh(
    `zfs create -o mountpoint=/mnt/${POOL}-${name} ${ds} && dd if=/dev/urandom of=/mnt/${POOL}-${name}/f bs=1M count=3 status=none && zfs snapshot ${ds}@${snap}`,
  );
  return ds;
}

d('send destinations on real OpenZFS 2.1', () => {
  beforeAll(async () => {
    await sh(`truncate -s 512M /var/tmp/${POOL}.img && zpool create -f -m none ${POOL} /var/tmp/${POOL}.img`);
  });
  afterAll(async () => {
    await vmExec(`zpool destroy -f ${POOL}; rm -f /var/tmp/${POOL}.img /root/${POOL}.pass`);
  });

  it('raw send of an encrypted dataset on the first run: the receive creates the destination (no dest_auto_create, no -F)', async () => {
    await sh(
      `printf 'correct horse battery\\n' > /root/${POOL}.pass && zfs create -o encryption=on -o keyformat=passphrase -o keylocation=file:///root/${POOL}.pass ${POOL}/enc && zfs snapshot ${POOL}/enc@e1 && zfs snapshot ${POOL}/enc@e2`,
    );
    const r = await json('-s', A(`${POOL}/enc`), '-d', B(`${POOL}/encbk`), '--raw');
    expect(r.code, r.stderr).toBe(0);
    const commands: string[] = r.report.jobs[0].datasets[0].commands;
    expect(r.report.jobs[0].prelude).toEqual([]);
    expect(commands.join('\n')).toContain('zfs send -w');
    expect(commands.join('\n')).not.toMatch(/zfs receive[^|']* -F/);
    expect(await snapsIn(`${POOL}/encbk`)).toEqual(['e1', 'e2']);
    expect((await sh(`zfs get -H -o value encryption,keystatus,encryptionroot ${POOL}/encbk`)).split('\n').slice(0, 3)).toEqual([
      'aes-256-gcm',
      'unavailable',
      `${POOL}/encbk`,
    ]);
    // pyznap #101: dest_auto_create made the destination itself, so the raw receive needed -F
    // and failed; here it creates only the missing parents.
    const deep = await json('-s', A(`${POOL}/enc`), '-d', B(`${POOL}/x/y/encbk`), '--raw', '--dest-auto-create');
    expect(deep.code, deep.stderr).toBe(0);
    expect(deep.report.jobs[0].prelude).toEqual([expect.stringMatching(new RegExp(`zfs create -p ${POOL}/x/y'?$`))]);
    expect((await sh(`zfs get -H -o value encryptionroot ${POOL}/x/y/encbk`)).trim()).toBe(`${POOL}/x/y/encbk`);
  });

  it('a stale partial first receive is abandoned (zfs receive -A takes the half-made dataset along), then received in full without -F', async () => {
    const src = await source('s2', 'p1');
    await sh(`zfs send ${src}@p1 | head -c 1000000 | zfs receive -s -u ${POOL}/fresh || true`);
    expect(await token(`${POOL}/fresh`)).toMatch(/^1-/);
    await sh(`zfs destroy ${src}@p1 && zfs snapshot ${src}@p2`);
    const r = await json('-s', A(src), '-d', B(`${POOL}/fresh`), '--resume');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/abandoned a partial receive/);
    const commands: string[] = r.report.jobs[0].datasets[0].commands;
    expect(commands[0]).toMatch(/zfs receive -A /);
    expect(commands.join('\n')).not.toMatch(/zfs receive[^|']* -F/);
    expect(await snapsIn(`${POOL}/fresh`)).toEqual(['p2']);
  });

  it("a stale forced partial receive into someone else's dataset: abandoned, and the dataset that stays is a conflict, not overwritten", async () => {
    const src = await source('s3', 'p1');
    await sh(`zfs create -o mountpoint=/mnt/${POOL}-user ${POOL}/user && echo important > /mnt/${POOL}-user/keep.txt`);
    // An earlier `send --force` interrupted: its state is the hidden ${POOL}/user/%recv.
    await sh(`zfs send ${src}@p1 | head -c 1000000 | zfs receive -s -F -u ${POOL}/user || true`);
    expect(await token(`${POOL}/user`)).toMatch(/^1-/);
    await sh(`zfs destroy ${src}@p1 && zfs snapshot ${src}@p2`);
    const r = await json('-s', A(src), '-d', B(`${POOL}/user`), '--resume');
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/abandoned a partial receive/);
    expect(r.stderr).toMatch(/conflict: .*user exists but has no snapshots/);
    const c = r.report.jobs[0].datasets[0].conflict;
    expect(c).toMatchObject({ kind: 'dest-exists', holds: { children: 0 } });
    expect(c.holds.referenced).toBeGreaterThan(0);
    expect(await token(`${POOL}/user`)).toBe('-');
    // the interrupted receive -F may have left it unmounted: mount it to look
    expect(await sh(`zfs mount ${POOL}/user 2>/dev/null; cat /mnt/${POOL}-user/keep.txt`)).toBe('important\n');
    expect(await snapsIn(`${POOL}/user`)).toEqual([]);
  });

  it("a partial receive whose source cannot resume sends (zfs-fuse) is not holdfast's: a conflict, the token stays", async () => {
    await ensureZfsFuse();
    const pool = await createPool('vmd', 96);
    try {
      await zfs('create', `${pool.name}/a`);
      await zfs('snapshot', `${pool.name}/a@x1`);
      const other = await source('s4', 't1');
      await sh(`zfs send ${other}@t1 | head -c 1000000 | zfs receive -s -u ${POOL}/fromfuse || true`);
      expect(await token(`${POOL}/fromfuse`)).toMatch(/^1-/);
      const r = await json('-s', `${pool.name}/a`, '-d', A(`${POOL}/fromfuse`));
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toContain(
        `holds a partial receive that holdfast did not start: ${pool.name}/a cannot resume sends (no zfs send -t), so it is not from there`,
      );
      expect(r.stderr).toMatch(/zfs receive -A .*fromfuse/);
      expect(await token(`${POOL}/fromfuse`)).toMatch(/^1-/);
    } finally {
      await pool.destroy();
    }
  });
});
