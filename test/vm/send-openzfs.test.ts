import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { holdfast, lockDir } from '../helpers/cli.js';
import { vmExec } from '../helpers/openzfs-vm.js';
import { createPool, ensureZfsFuse, zfs } from '../helpers/zfs-lab.js';
import { sh, snapsIn, twoHosts, vmLane } from './support.js';

// The modern paths zfs-fuse lacks, against real OpenZFS 2.1 in the VM: resume tokens (resume,
// and abort when stale), raw sends of encrypted datasets, size estimates (send -nvP), and
// exact hold tags (zfs holds). The VM is one host; reached as 127.0.0.1 and as localhost it
// is two endpoints to holdfast, so the stream is relayed through this host like remote to remote.
const { vm, d } = vmLane('send on OpenZFS');

const locks = lockDir();
const POOL = `hfsend${randomBytes(3).toString('hex')}`;
const { A, B, flags } = twoHosts(vm);
const send = (src: string, dst: string, ...extra: string[]) =>
  holdfast(['--lock-dir', locks, 'send', '-s', src, '-d', dst, ...flags(), ...extra]);

const snaps = (ds: string) => snapsIn(ds);

d('send on real OpenZFS 2.1', () => {
  beforeAll(async () => {
    await sh(
      `truncate -s 512M /var/tmp/${POOL}.img && zpool create -f -m none ${POOL} /var/tmp/${POOL}.img && zfs create ${POOL}/src && zfs create -o mountpoint=/mnt/${POOL}-big ${POOL}/src/big`,
    );
    await sh(`dd if=/dev/urandom of=/mnt/${POOL}-big/f bs=1M count=8 status=none && zfs snapshot -r ${POOL}/src@r1`);
    await sh(`dd if=/dev/urandom of=/mnt/${POOL}-big/g bs=1M count=4 status=none && zfs snapshot -r ${POOL}/src@r2`);
  });
  afterAll(async () => {
    await vmExec(`zpool destroy -f ${POOL}; rm -f /var/tmp/${POOL}.img`);
  });

  it('resumes a partial receive from its token, then sends the rest', async () => {
    // A run interrupted mid-tree: the root received, then the first 2 MB of big@r1's stream
    // (`zfs receive -s`). A hand-made, snapshot-less ${POOL}/dst would be a conflict instead.
    await sh(
      `zfs send ${POOL}/src@r1 | zfs receive -u ${POOL}/dst && zfs send ${POOL}/src/big@r1 | head -c 2000000 | zfs receive -s -u ${POOL}/dst/big || true`,
    );
    expect((await sh(`zfs get -H -o value receive_resume_token ${POOL}/dst/big`)).trim()).toMatch(/^1-/);
    const r = await send(A(`${POOL}/src`), B(`${POOL}/dst`), '--resume');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/sent .*big@r1 .* \(resumed\)/);
    expect(await snaps(`${POOL}/dst/big`)).toEqual(['r1', 'r2']);
    // exact tags on OpenZFS: ours is on the newest base only, on both sides
    const tag = `holdfast:root@localhost:${vm!.port}:${POOL}/dst`;
    expect(await sh(`zfs holds -H ${POOL}/src/big@r2 ${POOL}/dst/big@r2`)).toContain(tag);
    expect((await sh(`zfs holds -H ${POOL}/src/big@r1 ${POOL}/dst/big@r1`)).trim()).toBe('');
  });

  it('aborts a stale token whose source snapshot is gone (zfs receive -A), then sends incrementally', async () => {
    await sh(`dd if=/dev/urandom of=/mnt/${POOL}-big/h bs=1M count=4 status=none && zfs snapshot -r ${POOL}/src@r3`);
    await sh(`zfs send -i ${POOL}/src/big@r2 ${POOL}/src/big@r3 | head -c 1500000 | zfs receive -s -u ${POOL}/dst/big || true`);
    expect((await sh(`zfs get -H -o value receive_resume_token ${POOL}/dst/big`)).trim()).toMatch(/^1-/);
    await sh(`zfs destroy -r ${POOL}/src@r3 && zfs snapshot -r ${POOL}/src@r4`);
    const r = await send(A(`${POOL}/src`), B(`${POOL}/dst`), '--resume');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/abandoned a partial receive \(cannot resume send: .*no longer exists\): .*zfs receive -A/);
    expect(await snaps(`${POOL}/dst/big`)).toEqual(['r1', 'r2', 'r4']);
    expect((await sh(`zfs get -H -o value receive_resume_token ${POOL}/dst/big`)).trim()).toBe('-');
  });

  it('estimates sizes with zfs send -nvP for the plan', async () => {
    await sh(`dd if=/dev/urandom of=/mnt/${POOL}-big/i bs=1M count=2 status=none && zfs snapshot -r ${POOL}/src@r5`);
    const r = await holdfast([
      '--lock-dir',
      locks,
      '--json',
      '--dry-run',
      'send',
      '-s',
      A(`${POOL}/src`),
      '-d',
      B(`${POOL}/dst`),
      ...flags(),
    ]);
    expect(r.code, r.stderr).toBe(0);
    const big = JSON.parse(r.stdout).jobs[0].datasets.find((x: { source: string }) => x.source.endsWith('/big'));
    expect(big.transfers[0].estimateBytes).toBeGreaterThan(2_000_000);
    expect(big.transfers[0].pipeline).toContain(`zfs send -L -e -c -I ${POOL}/src/big@r4 ${POOL}/src/big@r5`);
  });

  it('raw send keeps an encrypted dataset encrypted, and compresses nothing', async () => {
    await sh(
      `printf 'correct horse battery\\n' > /root/${POOL}.pass && zfs create -o encryption=on -o keyformat=passphrase -o keylocation=file:///root/${POOL}.pass ${POOL}/enc && zfs snapshot ${POOL}/enc@e1`,
    );
    const r = await holdfast([
      '--lock-dir',
      locks,
      '--json',
      'send',
      '-s',
      A(`${POOL}/enc`),
      '-d',
      B(`${POOL}/encbk`),
      '--raw',
      '-c',
      'lzop',
      '--dest-auto-create',
      ...flags(),
    ]);
    expect(r.code, r.stderr).toBe(0);
    const pipeline: string = JSON.parse(r.stdout).jobs[0].datasets[0].transfers[0].pipeline;
    expect(pipeline).toContain('zfs send -w');
    expect(pipeline).not.toContain('lzop');
    expect(r.stderr).toContain('compress = lzop ignored: a raw stream is encrypted or already compressed');
    const props = await sh(`zfs get -H -o value encryption,keystatus ${POOL}/encbk`);
    expect(props.split('\n').slice(0, 2)).toEqual(['aes-256-gcm', 'unavailable']);
  });

  it('zfs-fuse here to OpenZFS there: pushed, with resume said to be unavailable once', async () => {
    await ensureZfsFuse();
    const pool = await createPool('vmx', 96);
    try {
      await zfs('create', `${pool.name}/a`);
      await zfs('create', `${pool.name}/a/b`);
      await zfs('snapshot', '-r', `${pool.name}/a@x1`);
      await zfs('snapshot', '-r', `${pool.name}/a@x2`);
      const r = await send(`${pool.name}/a`, A(`${POOL}/fromfuse`), '--resume', '--dest-auto-create');
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr.match(/resume is unavailable on this host \(zfs-fuse/g)).toHaveLength(1);
      expect(await snaps(`${POOL}/fromfuse/b`)).toEqual(['x1', 'x2']);
    } finally {
      await pool.destroy();
    }
  });
});
