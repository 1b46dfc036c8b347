import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { holdfast, lockDir, writeConfig } from '../helpers/cli.js';
import { vmExec } from '../helpers/openzfs-vm.js';
import { sh, snapsIn, vmLane } from './support.js';

// OpenZFS stream flags (-L -e -c, probed once per host), send_flags overriding them, the ssh
// compressor skipped for datasets stored compressed, and the free-space check before a full
// send: against real OpenZFS 2.1 in the VM (reached as two endpoints: 127.0.0.1 and localhost).
const { vm, d } = vmLane('send flags on OpenZFS');

const locks = lockDir();
const POOL = `hfflag${randomBytes(3).toString('hex')}`;
const SMALL = `${POOL}sm`;
const A = (ds: string) => `ssh:${vm!.port}:root@127.0.0.1:${ds}`;
const B = (ds: string) => `ssh:${vm!.port}:root@localhost:${ds}`;
const ssh = ['-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'LogLevel=ERROR'];
const send = (src: string, dst: string, ...extra: string[]) =>
  holdfast(['--lock-dir', locks, 'send', '-s', src, '-d', dst, '-j', vm!.keyPath, '-k', vm!.keyPath, ...ssh, ...extra]);
const pipelines = (stdout: string): string[] => stdout.split('\n').filter((l) => l.startsWith('ssh ') && l.includes(' | '));

d('send flags and free space on real OpenZFS 2.1', () => {
  beforeAll(async () => {
    await sh(
      [
        `truncate -s 512M /var/tmp/${POOL}.img && zpool create -f -m none ${POOL} /var/tmp/${POOL}.img`,
        `truncate -s 128M /var/tmp/${SMALL}.img && zpool create -f -m none ${SMALL} /var/tmp/${SMALL}.img`,
        `zfs create -o compression=lz4 -o mountpoint=/mnt/${POOL}-z ${POOL}/src`,
        `zfs create -o compression=off -o mountpoint=/mnt/${POOL}-p ${POOL}/src/plain`,
        `dd if=/dev/zero of=/mnt/${POOL}-z/zeros bs=1M count=8 status=none`,
        `dd if=/dev/urandom of=/mnt/${POOL}-p/f bs=1M count=2 status=none`,
        `zfs snapshot -r ${POOL}/src@f1`,
        `zfs create -o compression=off -o mountpoint=/mnt/${POOL}-big ${POOL}/big`,
        `dd if=/dev/urandom of=/mnt/${POOL}-big/f bs=1M count=160 status=none`,
        `zfs snapshot ${POOL}/big@b1`,
      ].join(' && '),
    );
  });
  afterAll(async () => {
    await vmExec(`zpool destroy -f ${POOL}; zpool destroy -f ${SMALL}; rm -f /var/tmp/${POOL}.img /var/tmp/${SMALL}.img`);
  });

  // (The VM has no lzop, the default ssh compressor: its skipping for datasets stored compressed
  // is proven in test/unit/send-flags.test.ts.)
  it('-L -e -c where both ends have them, received; the dry run shows what runs', async () => {
    const dry = await send(A(`${POOL}/src`), B(`${POOL}/dst`), '--dry-run');
    expect(dry.code, dry.stderr).toBe(0);
    const [root, plain] = pipelines(dry.stdout);
    expect(root).toContain(`zfs send -L -e -c ${POOL}/src@f1`);
    expect(plain).toContain(`zfs send -L -e -c ${POOL}/src/plain@f1`);
    const r = await send(A(`${POOL}/src`), B(`${POOL}/dst`), '--json');
    expect(r.code, r.stderr).toBe(0);
    const sent = JSON.parse(r.stdout).jobs[0].datasets.map((x: { transfers: { pipeline: string }[] }) => x.transfers[0]!.pipeline);
    expect(sent).toEqual(pipelines(dry.stdout));
    expect(await snapsIn(`${POOL}/dst/plain`)).toEqual(['f1']);
    expect(await snapsIn(`${POOL}/dst`)).toEqual(['f1']);
  });

  it('send_flags per destination: "-L -e" leaves -c out; none leaves all out', async () => {
    const conf = writeConfig(
      [
        '[DEFAULT]',
        `ssh_options = StrictHostKeyChecking=no, UserKnownHostsFile=/dev/null, LogLevel=ERROR`,
        `[${A(`${POOL}/src`)}]`,
        `key = ${vm!.keyPath}`,
        `dest = ${B(`${POOL}/o1`)}, ${B(`${POOL}/o2`)}`,
        `dest_keys = ${vm!.keyPath}, ${vm!.keyPath}`,
        'send_flags = -L -e, none',
      ].join('\n'),
    );
    const r = await holdfast(['--lock-dir', locks, '--config', conf, '--dry-run', 'send']);
    expect(r.code, r.stderr).toBe(0);
    const lines = pipelines(r.stdout);
    const o1 = lines.filter((l) => l.includes(`${POOL}/o1`));
    const o2 = lines.filter((l) => l.includes(`${POOL}/o2`));
    expect(o1[0]).toContain(`zfs send -L -e ${POOL}/src@f1`);
    expect(o2[0]).toContain(`zfs send ${POOL}/src@f1`);
  });

  it('a full send that cannot fit is refused with both numbers, and nothing is sent', async () => {
    const r = await send(A(`${POOL}/big`), B(`${SMALL}/big`));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      new RegExp(
        `${SMALL}/big: the full stream needs about 16\\d\\.\\d MiB \\(zfs send -nvP, \\d+ bytes\\) but ${SMALL} has \\d+(\\.\\d)? MiB available \\(\\d+ bytes\\); nothing was sent`,
      ),
    );
    expect((await vmExec(`zfs list ${SMALL}/big`)).code).not.toBe(0);
    expect((await sh(`zpool list -Hp -o allocated ${SMALL}`)).trim().length).toBeGreaterThan(0);
    // The refusal is permanent: no retry, and the others of the run go on (one job here).
    expect(r.stderr).not.toMatch(/retrying/);
  });
});
